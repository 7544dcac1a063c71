// SPDX-License-Identifier: AGPL-3.0-or-later
// Reads and edits Job XML tickets; the full schema check is the core's.
#include "jobxml.hpp"

#include "http.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstring>

namespace ripline::server {

namespace {

const char* name_of(const xmlNode* node) {
    return reinterpret_cast<const char*>(node->name);
}

std::string content_of(const xmlNode* node) {
    xmlChar* text = xmlNodeGetContent(node);
    std::string out = text ? reinterpret_cast<const char*>(text) : "";
    xmlFree(text);
    auto begin = out.find_first_not_of(" \t\r\n");
    auto end = out.find_last_not_of(" \t\r\n");
    return begin == std::string::npos ? "" : out.substr(begin, end - begin + 1);
}

std::string attribute_of(const xmlNode* node, const char* attr) {
    xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(attr));
    std::string out = value ? reinterpret_cast<const char*>(value) : "";
    xmlFree(value);
    return out;
}

// Direct element children of PARENT named NAME.
std::vector<xmlNode*> children(const xmlNode* parent, const char* name) {
    std::vector<xmlNode*> out;
    for (xmlNode* n = parent ? parent->children : nullptr; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && std::strcmp(name_of(n), name) == 0)
            out.push_back(n);
    return out;
}

}  // namespace

void JobXml::Free::operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }

JobXml JobXml::parse(std::string_view text, const std::string& source) {
    // No network, no entity expansion, no DTD loading: tickets are data.
    xmlDoc* doc = xmlReadMemory(text.data(), static_cast<int>(text.size()),
                                source.c_str(), nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError* error = xmlGetLastError();
        std::string where = error ? " at line " + std::to_string(error->line)
                                  : std::string();
        std::string what = error && error->message ? error->message : "";
        while (!what.empty() && what.back() == '\n')
            what.pop_back();
        throw ApiError(400, "This request is not properly formatted: " +
                                source + where + ": " + what);
    }
    JobXml job;
    job.doc_.reset(doc);
    xmlNode* root = xmlDocGetRootElement(doc);
    if (!root || std::strcmp(name_of(root), "Job") != 0)
        throw ApiError(400, "This request is not properly formatted: " +
                                source + ": the root element must be Job");
    return job;
}

xmlNode* JobXml::child(const std::string& name) const {
    auto found = children(xmlDocGetRootElement(doc_.get()), name.c_str());
    return found.empty() ? nullptr : found.front();
}

std::string JobXml::text(const std::string& name) const {
    xmlNode* node = child(name);
    return node ? content_of(node) : "";
}

void JobXml::set_text(const std::string& name, const std::string& value) {
    xmlNode* node = child(name);
    auto* text = reinterpret_cast<const xmlChar*>(value.c_str());
    if (!node) {
        xmlNode* root = xmlDocGetRootElement(doc_.get());
        xmlNewTextChild(root, root->ns,
                        reinterpret_cast<const xmlChar*>(name.c_str()), text);
        return;
    }
    xmlChar* escaped = xmlEncodeSpecialChars(doc_.get(), text);
    xmlNodeSetContent(node, escaped);
    xmlFree(escaped);
}

std::string JobXml::attribute(const std::string& name,
                              const std::string& attr) const {
    xmlNode* node = child(name);
    return node ? attribute_of(node, attr.c_str()) : "";
}

std::string JobXml::job_guid() const {
    std::string guid = text("JobGUID");
    return guid.empty() ? text("GUID") : guid;
}

std::vector<FilePath> JobXml::file_paths() const {
    std::vector<FilePath> out;
    for (xmlNode* pdf : children(xmlDocGetRootElement(doc_.get()), "PDFJob"))
        for (xmlNode* inputs : children(pdf, "InputJobs"))
            for (xmlNode* file : children(inputs, "FilePath")) {
                FilePath path{file, content_of(file), attribute_of(file, "Id"),
                              1};
                std::string copies = attribute_of(file, "Copies");
                if (!copies.empty())
                    path.copies = std::max(1, std::atoi(copies.c_str()));
                out.push_back(path);
            }
    return out;
}

void JobXml::set_file_path(const FilePath& file, const std::string& path,
                           const std::string& id) {
    xmlChar* escaped = xmlEncodeSpecialChars(
        doc_.get(), reinterpret_cast<const xmlChar*>(path.c_str()));
    xmlNodeSetContent(file.node, escaped);
    xmlFree(escaped);
    xmlSetProp(file.node, reinterpret_cast<const xmlChar*>("Id"),
               reinterpret_cast<const xmlChar*>(id.c_str()));
}

std::vector<std::string> JobXml::document_guids() const {
    std::vector<std::string> out;
    for (xmlNode* docs : children(xmlDocGetRootElement(doc_.get()),
                                  "Documents"))
        for (xmlNode* doc : children(docs, "Document")) {
            auto guid = children(doc, "DocumentGUID");
            std::string value = guid.empty() ? attribute_of(doc, "GUID")
                                             : content_of(guid.front());
            if (!value.empty())
                out.push_back(value);
        }
    return out;
}

std::string JobXml::dump() const {
    xmlChar* text = nullptr;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(doc_.get(), &text, &size, "UTF-8", 0);
    std::string out(reinterpret_cast<const char*>(text),
                    static_cast<std::size_t>(size));
    xmlFree(text);
    return out;
}

bool is_safe_relative_path(std::string_view path) {
    if (path.empty() || path.front() == '/' || path.front() == '\\')
        return false;
    if (path.find('\0') != std::string_view::npos ||
        path.find('\\') != std::string_view::npos ||
        path.find(':') != std::string_view::npos)
        return false;
    std::size_t at = 0;
    while (at <= path.size()) {
        std::size_t end = path.find('/', at);
        std::string_view part = path.substr(
            at, end == std::string_view::npos ? std::string_view::npos
                                              : end - at);
        if (part == ".." || part == "." || part.empty())
            return false;
        if (end == std::string_view::npos)
            break;
        at = end + 1;
    }
    return true;
}

}  // namespace ripline::server
