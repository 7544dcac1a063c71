// SPDX-License-Identifier: AGPL-3.0-or-later
// Documents API: upload (one-shot or create + content), list, get,
// download, delete, revisions and thumbnails.
#include "jobs.hpp"
#include "multipart.hpp"
#include "preview.hpp"

namespace ripline::server {

namespace {

bool is_png(std::string_view data) {
    return data.size() > 8 && data.substr(0, 8) == "\x89PNG\r\n\x1a\n";
}

nlohmann::json form_json(const Multipart& form) {
    const Part* json = form.find("JsonString");
    if (!json)
        json = form.find_type("application/json");
    if (!json)
        throw ApiError(400, "\"JsonString\" value required");
    auto value = nlohmann::json::parse(json->data, nullptr, false);
    if (!value.is_object())
        throw ApiError(400, "This request is not properly formatted: "
                            "JsonString is not a JSON object");
    return value;
}

std::string checked_name(const nlohmann::json& body) {
    std::string name = required_field(body, "Name");
    if (!is_safe_name(name))
        throw ApiError(400, "\"Name\" value \"" + name +
                                "\" is not a plain file name");
    return name;
}

std::string optional_guid(const nlohmann::json& body, const char* field) {
    std::string guid = string_field(body, field);
    if (!guid.empty() && !is_guid(guid))
        throw ApiError(400, std::string("Validation of ") + field +
                                " failed");
    return guid;
}

nlohmann::json document_info(Service& s, AccountId account,
                             const Entity& doc) {
    nlohmann::json info = doc.body;
    info["Created"] = doc.created;
    info["Modified"] = doc.modified;
    info.erase("Thumbnails");
    if (auto pages = document_pages(s, account, doc)) {
        if (pages->body.contains("Error")) {
            info["PagesError"] = pages->body["Error"];
        } else {
            info["PageCount"] = pages->body["PageCount"];
            info["Meta"]["Pages"] = pages->body["Pages"];
        }
    }
    info["Revisions"] = s.store().revisions(account, "document", doc.guid).size();
    return info;
}

void save_thumbnail(Service& s, AccountId account, Entity& doc, int page,
                    std::string_view png) {
    doc.body["Thumbnails"][std::to_string(page)] = s.blobs().put(png).sha1;
    s.store().put(account, doc);
}

// POST /api/v2/document: JsonString + optional file + optional PNG.
Response add_document(Service& s, Request& r, const Caller& c) {
    Multipart form(r);
    auto meta = form_json(form);
    std::string name = checked_name(meta);
    std::string guid = optional_guid(meta, "DocumentGUID");
    const Part* json = form.find("JsonString");
    if (!json)
        json = form.find_type("application/json");
    // After JsonString: the file, then optionally its PNG thumbnail.
    std::vector<const Part*> extra;
    for (auto& part : form.parts())
        if (&part != json)
            extra.push_back(&part);
    const Part* file = extra.empty() ? nullptr : extra[0];
    const Part* thumb = extra.size() > 1 ? extra[1] : nullptr;
    if (thumb && !is_png(thumb->data))
        throw ApiError(415, "Expected type: image/png");
    std::string type = string_field(meta, "Type");
    nlohmann::json doc_meta = meta.value("Meta", nlohmann::json::object());
    if (meta.contains("Dimensions"))
        doc_meta["Dimensions"] = meta["Dimensions"];
    if (file) {
        guid = store_document(s, c.account, guid, name,
                              type.empty() ? file->content_type : type,
                              file->data, doc_meta);
    } else {
        auto existing = guid.empty() ? std::nullopt
                                     : s.store().get(c.account, "document",
                                                     guid);
        Entity doc = existing ? *existing : Entity{"document",
                                                   guid.empty() ? new_guid()
                                                                : guid};
        guid = doc.guid;
        doc.body["DocumentGUID"] = guid;
        doc.body["Name"] = name;
        doc.body["Type"] = type;
        doc.body["Meta"] = doc_meta;
        s.store().put(c.account, doc);
    }
    Entity doc = *s.store().get(c.account, "document", guid);
    doc.body["IsAsset"] = meta.value("IsAsset", false);
    doc.body["IsTemporary"] = meta.value("IsTemporary", false);
    s.store().put(c.account, doc);
    if (thumb)
        save_thumbnail(s, c.account, doc, 1, thumb->data);
    return json_response({{"Message", "Document successfully saved"},
                          {"DocumentGUID", guid},
                          {"ResourceId", doc.body.value("Sha1", "")}});
}

Response create_document(Service& s, Request& r, const Caller& c) {
    auto body = json_body(r);
    std::string name = checked_name(body);
    std::string guid = optional_guid(body, "DocumentGUID");
    if (!guid.empty() && s.store().get(c.account, "document", guid))
        throw ApiError(400, "A document with this DocumentGUID already "
                            "exists");
    Entity doc{"document", guid.empty() ? new_guid() : guid};
    doc.body = {{"DocumentGUID", doc.guid},
                {"Name", name},
                {"IsAsset", body.value("IsAsset", false)},
                {"Meta",
                 {{"Pages",
                   {{{"Width", body.value("Width", 0.0)},
                     {"Height", body.value("Height", 0.0)}}}}}}};
    s.store().put(c.account, doc);
    return json_response({{"Message", "Document successfully created"},
                          {"DocumentGUID", doc.guid}});
}

// Set the content of a created document: multipart {DocumentGUID} + file,
// or the raw bytes with ?DocumentGUID=.
Response set_document_resource(Service& s, Request& r, const Caller& c) {
    std::string guid = r.query.count("DocumentGUID")
                           ? r.query.at("DocumentGUID")
                           : "";
    if (r.content_type() == "multipart/form-data") {
        Multipart form(r);
        auto meta = form_json(form);
        if (guid.empty())
            guid = required_field(meta, "DocumentGUID");
        const Part* file = nullptr;
        for (auto& part : form.parts())
            if (part.name != "JsonString" &&
                part.content_type != "application/json")
                file = &part;
        if (!file)
            throw ApiError(400, "A file part is required");
        Entity doc = require(s, c.account, "document", guid, "DocumentGUID");
        store_document(s, c.account, guid, doc.body.value("Name", ""),
                       file->content_type, file->data, doc.body["Meta"]);
    } else {
        if (guid.empty())
            throw ApiError(400, "\"DocumentGUID\" value required");
        Entity doc = require(s, c.account, "document", guid, "DocumentGUID");
        BlobInfo blob = r.body_file.empty() ? s.blobs().put(r.body)
                                            : s.blobs().put_file(r.body_file);
        doc.body["Size"] = blob.size;
        doc.body["Sha1"] = blob.sha1;
        doc.body["Type"] = r.content_type();
        s.store().transaction([&] {
            doc.body["Revision"] = s.store().add_revision(
                c.account, "document", guid,
                {0, blob.sha1, blob.size, now_iso()});
            s.store().put(c.account, doc);
        });
        if (s.previewer())
            s.previewer()->enqueue(c.account, guid);
    }
    return json_response({{"Message", "Document resource successfully saved"},
                          {"DocumentGUID", guid}});
}

Response set_document_meta(Service& s, Request& r, const Caller& c) {
    auto body = json_body(r);
    Entity doc = require(s, c.account, "document",
                         required_field(body, "DocumentGUID"), "DocumentGUID");
    if (!body.contains("Meta") || !body["Meta"].is_object())
        throw ApiError(400, "\"Meta\" value required");
    doc.body["Meta"] = body["Meta"];
    s.store().put(c.account, doc);
    return json_response(
        {{"Message", "Document meta data successfully saved"},
         {"DocumentGUID", doc.guid}});
}

Response set_document_thumbnail(Service& s, Request& r, const Caller& c) {
    Multipart form(r);
    auto meta = form_json(form);
    std::string guid = r.query.count("DocumentGUID")
                           ? r.query.at("DocumentGUID")
                           : required_field(meta, "DocumentGUID");
    int page = meta.value("PageNumber", 1);
    const Part* png = nullptr;
    for (auto& part : form.parts())
        if (part.name != "JsonString")
            png = &part;
    if (!png)
        throw ApiError(400, "\"Thumbnail\" value required");
    if (!is_png(png->data))
        throw ApiError(415, "Expected type: image/png");
    Entity doc = require(s, c.account, "document", guid, "DocumentGUID");
    save_thumbnail(s, c.account, doc, page, png->data);
    return json_response(
        {{"Message", "Document thumbnail successfully saved"},
         {"ThumbnailGUID", doc.body["Thumbnails"][std::to_string(page)]}});
}

Response list_documents(Service& s, Request& r, const Caller& c) {
    nlohmann::json filter = r.body.empty() && r.body_file.empty()
                                ? nlohmann::json::object()
                                : json_body(r);
    std::string name = string_field(filter, "Name");
    std::int64_t skip = filter.value("Skip", std::int64_t{0});
    std::int64_t take = filter.value("Take", std::int64_t{1000});
    nlohmann::json out = nlohmann::json::array();
    std::int64_t seen = 0;
    for (auto& doc : s.store().list(c.account, "document", {})) {
        if (!name.empty() &&
            doc.body.value("Name", "").find(name) == std::string::npos)
            continue;
        if (filter.contains("IsAsset") &&
            doc.body.value("IsAsset", false) != filter.value("IsAsset", false))
            continue;
        if (seen++ < skip)
            continue;
        if (static_cast<std::int64_t>(out.size()) >= take)
            break;
        out.push_back(document_info(s, c.account, doc));
    }
    return json_response(out);
}

Entity doc_of(Service& s, const Caller& c, const Request& r) {
    return require(s, c.account, "document", r.param("DocumentGUID"),
                   "DocumentGUID");
}

Response get_document(Service& s, Request& r, const Caller& c) {
    return json_response(document_info(s, c.account, doc_of(s, c, r)));
}

Response download_document(Service& s, Request& r, const Caller& c) {
    Entity doc = doc_of(s, c, r);
    std::string sha1 = doc.body.value("Sha1", "");
    if (r.query.count("revision")) {
        sha1.clear();
        int want = std::atoi(r.query.at("revision").c_str());
        for (auto& rev : s.store().revisions(c.account, "document", doc.guid))
            if (rev.number == want)
                sha1 = rev.sha1;
        if (sha1.empty())
            throw ApiError(404, "Revision is not found");
    }
    if (sha1.empty())
        throw ApiError(404, "Document content is not found");
    Response response;
    std::string type = doc.body.value("Type", "");
    response.content_type =
        type.find('/') == std::string::npos ? "application/octet-stream"
                                            : type;
    response.file = s.blobs().path(sha1);
    response.headers.push_back(
        {"Content-Disposition",
         "attachment; filename=\"" + doc.body.value("Name", "document") +
             "\""});
    return response;
}

Response document_revisions(Service& s, Request& r, const Caller& c) {
    Entity doc = doc_of(s, c, r);
    nlohmann::json out = nlohmann::json::array();
    for (auto& rev : s.store().revisions(c.account, "document", doc.guid))
        out.push_back({{"Revision", rev.number},
                       {"Checksum", rev.sha1},
                       {"Size", rev.size},
                       {"Created", rev.created}});
    return json_response(out);
}

Response delete_document(Service& s, Request& r, const Caller& c) {
    Entity doc = doc_of(s, c, r);
    s.store().remove(c.account, "document", doc.guid);
    return string_response("Document successfully deleted");
}

Response document_thumbnail(Service& s, Request& r, const Caller& c) {
    Entity doc = doc_of(s, c, r);
    int page = std::atoi(r.param("page").c_str());
    std::string sha1 =
        page > 0 ? document_thumbnail_sha1(s, c.account, doc, page) : "";
    if (sha1.empty())
        throw ApiError(404, "Thumbnail is not found");
    Response response;
    response.content_type = "image/png";
    response.file = s.blobs().path(sha1);
    return response;
}

}  // namespace

void add_document_routes(Service& s) {
    auto h = [&s](auto fn) {
        return [&s, fn](Request& r, const Caller& c) { return fn(s, r, c); };
    };
    const std::string base = "/api/v2/document";
    const std::string mp = "multipart/form-data";
    const std::string js = "application/json";
    s.add({"POST", base, Auth::any, "Documents",
           "Upload a document: JsonString {DocumentGUID?, Name, Type, Meta} "
           "+ file + optional PNG thumbnail; same GUID adds a revision",
           mp, js, {400, 401, 413, 415}, false, h(add_document)});
    s.add({"POST", base + "/create", Auth::any, "Documents",
           "Create a document record (content follows)", js, js,
           {400, 401, 415}, false, h(create_document)});
    s.add({"POST", base + "/resource", Auth::any, "Documents",
           "Set the content of a created document", mp, js,
           {400, 401, 404, 413, 415}, false, h(set_document_resource)});
    s.add({"POST", base + "/meta", Auth::any, "Documents",
           "Set a document's meta data", js, js, {400, 401, 404, 415}, false,
           h(set_document_meta)});
    s.add({"POST", base + "/thumbnail", Auth::any, "Documents",
           "Set a page thumbnail of a document", mp, js, {400, 401, 404, 415},
           false, h(set_document_thumbnail)});
    s.add({"POST", base + "/list", Auth::any, "Documents",
           "List documents (Name, IsAsset, Skip, Take)", js, js,
           {400, 401, 415}, false, h(list_documents)});
    s.add({"GET", base + "/{DocumentGUID}", Auth::any, "Documents",
           "A document's record", "", js, {401, 404}, true, h(get_document)});
    s.add({"GET", base + "/{DocumentGUID}/content", Auth::any, "Documents",
           "Download the document (?revision=N for an older one)", "",
           "application/octet-stream", {401, 404}, true,
           h(download_document)});
    s.add({"GET", base + "/{DocumentGUID}/revisions", Auth::any, "Documents",
           "A document's revisions", "", js, {401, 404}, true,
           h(document_revisions)});
    s.add({"GET", base + "/{DocumentGUID}/thumbnail/{page}", Auth::any,
           "Documents", "A document page's PNG thumbnail", "", "image/png",
           {401, 404}, true, h(document_thumbnail)});
    s.add({"DELETE", base + "/{DocumentGUID}", Auth::any, "Documents",
           "Delete a document", "", js, {401, 404}, true, h(delete_document)});
}

}  // namespace ripline::server
