// SPDX-License-Identifier: AGPL-3.0-or-later
// Reading a Job XML ticket: safe parse, XSD check, then the model.
#include "core/job/job.hpp"
#include "core/job/reader.hpp"
#include "core/job/xml_util.hpp"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

namespace ripline::job {

using detail::fail;
using detail::Source;

namespace {

// PrintFactory's namespace; tickets may carry it or none.
constexpr const char* pf_namespace = "https://printfactory.cloud/schema/2.0";

struct DocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

// The 1-based line of byte `offset` in `xml`.
int line_at(std::string_view xml, std::size_t offset)
{
    int line = 1;
    for (std::size_t i = 0; i < offset && i < xml.size(); ++i)
        line += xml[i] == '\n';
    return line;
}

// Refuse what a ticket never needs and attackers use: a DOCTYPE (and so
// entity definitions, external DTDs and entity expansion bombs).
void check_raw(std::string_view xml, const Source& source)
{
    if (xml.size() > max_ticket_bytes)
        throw Error(RL_ERROR_BAD_INPUT, Stage::job,
                    "ticket is " + std::to_string(xml.size()) +
                        " bytes; at most " + std::to_string(max_ticket_bytes) +
                        " are accepted",
                    source.name);
    for (const char* word : {"<!DOCTYPE", "<!ENTITY"}) {
        std::size_t at = xml.find(word);
        if (at != std::string_view::npos)
            throw Error(RL_ERROR_BAD_INPUT, Stage::job,
                        std::string(word + 2) +
                            " is not allowed in a ticket (no DTDs or "
                            "entities)",
                        source.name, line_at(xml, at));
    }
}

// The first syntax error libxml2 reports (later ones follow from it).
struct FirstError {
    int line = 0;
    std::string message;
};

void keep_first(void* user, xmlError* error)
{
    auto* first = static_cast<FirstError*>(user);
    if (!first->message.empty() || !error || error->level < XML_ERR_ERROR)
        return;
    first->line = error->line;
    first->message = error->message ? error->message : "not well-formed";
    while (!first->message.empty() && first->message.back() == '\n')
        first->message.pop_back();
}

// Parse without network, DTD loading or entity substitution; a syntax
// error is reported with libxml2's line and message.
DocPtr parse_safely(std::string_view xml, const Source& source)
{
    xmlParserCtxt* context = xmlNewParserCtxt();
    if (!context)
        throw Error(RL_ERROR_NO_MEMORY, Stage::job, "no memory for parser");
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                  XML_PARSE_NOCDATA;
    FirstError first;
    xmlStructuredErrorFunc host_handler = xmlStructuredError;
    void* host_context = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&first, keep_first);
    xmlDoc* doc =
        xmlCtxtReadMemory(context, xml.data(), static_cast<int>(xml.size()),
                          source.name.c_str(), nullptr, options);
    xmlSetStructuredErrorFunc(host_context, host_handler);
    bool well_formed = doc && context->wellFormed;
    xmlFreeParserCtxt(context);
    if (!well_formed) {
        xmlFreeDoc(doc);
        if (first.message.empty())
            first.message = "not well-formed";
        throw Error(RL_ERROR_BAD_INPUT, Stage::job,
                    "broken XML: " + first.message, source.name, first.line);
    }
    return DocPtr(doc);
}

// Bound nesting depth and drop PrintFactory's namespace so that one
// schema without a target namespace checks both spellings.
void normalise(xmlNode* node, int depth, const Source& source)
{
    for (; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        if (depth > max_ticket_depth)
            fail(source, node,
                 "elements nest deeper than " +
                     std::to_string(max_ticket_depth) + " levels");
        if (node->ns && node->ns->href &&
            std::string_view(reinterpret_cast<const char*>(node->ns->href)) ==
                pf_namespace)
            node->ns = nullptr;
        normalise(node->children, depth + 1, source);
    }
}

// The schema is parsed once per process and shared read-only.
xmlSchema* schema()
{
    static std::once_flag once;
    static xmlSchema* parsed = nullptr;
    std::call_once(once, [] {
        std::string_view text = job_schema();
        xmlSchemaParserCtxt* context = xmlSchemaNewMemParserCtxt(
            text.data(), static_cast<int>(text.size()));
        parsed = context ? xmlSchemaParse(context) : nullptr;
        xmlSchemaFreeParserCtxt(context);
    });
    if (!parsed)
        throw Error(RL_ERROR_INTERNAL, Stage::job,
                    "the built-in Job XML schema does not parse");
    return parsed;
}

// Collects the schema's complaints, each with its line.
struct Complaints {
    std::vector<std::pair<int, std::string>> items;
};

void collect(void* user, xmlError* error)
{
    auto* complaints = static_cast<Complaints*>(user);
    std::string message = error->message ? error->message : "invalid";
    while (!message.empty() && message.back() == '\n')
        message.pop_back();
    complaints->items.emplace_back(error->line, message);
}

void validate(xmlDoc* doc, const Source& source)
{
    xmlSchemaValidCtxt* context = xmlSchemaNewValidCtxt(schema());
    Complaints complaints;
    xmlSchemaSetValidStructuredErrors(context, collect, &complaints);
    int result = xmlSchemaValidateDoc(context, doc);
    xmlSchemaFreeValidCtxt(context);
    if (result == 0)
        return;
    if (complaints.items.empty())
        complaints.items.emplace_back(0, "does not match the Job schema");

    // The first complaint carries the line; the rest follow in the text.
    std::string message = complaints.items[0].second;
    for (std::size_t i = 1; i < complaints.items.size() && i < 5; ++i)
        message += "; line " + std::to_string(complaints.items[i].first) +
                   ": " + complaints.items[i].second;
    if (complaints.items.size() > 5)
        message +=
            "; and " + std::to_string(complaints.items.size() - 5) + " more";
    throw Error(RL_ERROR_BAD_INPUT, Stage::job, message, source.name,
                complaints.items[0].first);
}

} // namespace

Job parse_job_xml(std::string_view xml, const std::filesystem::path& base_dir,
                  const std::string& name_for_errors)
{
    // libxml2 wants one initialisation before threads parse at once.
    static std::once_flag init;
    std::call_once(init, [] { xmlInitParser(); });
    Source source{name_for_errors};
    check_raw(xml, source);
    DocPtr doc = parse_safely(xml, source);
    xmlNode* root = xmlDocGetRootElement(doc.get());
    if (!root || detail::name_of(root) != "Job")
        fail(source, root,
             "the root element must be <Job>, found " +
                 (root ? detail::tag(root) : std::string("nothing")));
    normalise(root, 1, source);
    validate(doc.get(), source);
    return detail::read_job(root, base_dir, source);
}

Job parse_job_file(const std::filesystem::path& path)
{
    std::error_code error;
    auto size = std::filesystem::file_size(path, error);
    if (error)
        throw Error(RL_ERROR_IO, Stage::job,
                    "cannot read the ticket: " + error.message(),
                    path.string());
    if (size > max_ticket_bytes)
        throw Error(RL_ERROR_BAD_INPUT, Stage::job,
                    "ticket is " + std::to_string(size) + " bytes; at most " +
                        std::to_string(max_ticket_bytes) + " are accepted",
                    path.string());

    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in)
        throw Error(RL_ERROR_IO, Stage::job, "cannot read the ticket",
                    path.string());
    std::filesystem::path base = path.parent_path();
    Job job =
        parse_job_xml(text.str(), base.empty() ? "." : base, path.string());
    job.ticket_path = path;
    return job;
}

Job job_for_file(const std::filesystem::path& document)
{
    Job job;
    job.id = new_guid();
    job.name = document.filename().string();
    job.producer = "ripline";
    InputFile input;
    input.path = std::filesystem::absolute(document).lexically_normal();
    input.name = job.name;
    job.inputs.push_back(input);
    return job;
}

} // namespace ripline::job
