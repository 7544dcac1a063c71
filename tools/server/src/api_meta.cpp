// SPDX-License-Identifier: AGPL-3.0-or-later
// Server status, the OpenAPI document generated from the route table, and
// the docs page that renders it.
#include "service.hpp"

#include <regex>

namespace ripline::server {

namespace {

const char* const docs_html = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ripline-server API</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto;
       max-width: 60em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
.route { margin: .6em 0; padding: .4em .6em; border-left: 4px solid #88a; }
.method { font-weight: bold; display: inline-block; width: 4.5em; }
.path { font-family: monospace; }
.ext { color: #a60; font-size: .85em; }
.meta { color: #555; font-size: .9em; }
</style>
</head>
<body>
<h1>ripline-server API</h1>
<p>REST calls under <code>/api/v2</code> in the shape of the PrintFactory
Cloud API. Authenticate with the <code>MisKey</code> header, or with
<code>HardwareHash</code> + <code>SerialNumber</code> +
<code>ApplicationVersion</code>. Errors are <code>{"Message": ...}</code>.
Notifications: WebSocket at <code>/notifications</code> with the MisKey on
the handshake; send <code>{"Subscribe": ["job", "device"], "ResumeFrom":
seq}</code>. The machine-readable description is
<a href="/api/v2/openapi.json">openapi.json</a>.</p>
<div id="routes">Loading the API description...</div>
<script>
fetch('/api/v2/openapi.json').then(r => r.json()).then(doc => {
  const byTag = {};
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops))
      (byTag[op.tags[0]] = byTag[op.tags[0]] || []).push({path, method, op});
  const root = document.getElementById('routes');
  root.textContent = '';
  for (const tag of Object.keys(byTag)) {
    const h = document.createElement('h2');
    h.textContent = tag;
    root.appendChild(h);
    for (const {path, method, op} of byTag[tag]) {
      const div = document.createElement('div');
      div.className = 'route';
      div.dataset.route = method.toUpperCase() + ' ' + path;
      const m = document.createElement('span');
      m.className = 'method';
      m.textContent = method.toUpperCase();
      const p = document.createElement('span');
      p.className = 'path';
      p.textContent = path;
      div.append(m, p);
      if (op['x-ripline-extension']) {
        const e = document.createElement('span');
        e.className = 'ext';
        e.textContent = ' (ripline extension)';
        div.appendChild(e);
      }
      const s = document.createElement('div');
      s.textContent = op.summary;
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = 'Auth: ' + op['x-auth'] + '. Answers: ' +
          Object.keys(op.responses).join(', ');
      div.append(s, meta);
      root.appendChild(div);
    }
  }
  document.body.dataset.ready = 'true';
});
</script>
</body>
</html>
)HTML";

const char* auth_name(Auth auth) {
    switch (auth) {
    case Auth::none: return "none";
    case Auth::mis_key: return "MisKey";
    case Auth::hardware: return "Hardware";
    default: return "MisKey or Hardware";
    }
}

nlohmann::json security_of(Auth auth) {
    nlohmann::json key = {{"MisKey", nlohmann::json::array()}};
    nlohmann::json hw = {{"HardwareHash", nlohmann::json::array()},
                         {"SerialNumber", nlohmann::json::array()},
                         {"ApplicationVersion", nlohmann::json::array()}};
    switch (auth) {
    case Auth::none: return nlohmann::json::array();
    case Auth::mis_key: return {key};
    case Auth::hardware: return {hw};
    default: return {key, hw};
    }
}

std::string status_text(int status) {
    switch (status) {
    case 200: return "Success";
    case 400: return "Bad input; Message names the field";
    case 401: return "Missing or invalid credentials";
    case 404: return "A GUID is not found";
    case 405: return "Method not allowed";
    case 409: return "Conflicts with the stored state";
    case 413: return "Body over the upload limit";
    case 415: return "Wrong content type or malformed multipart form";
    default: return "Error";
    }
}

nlohmann::json operation_of(const Route& route) {
    std::string id = route.method;
    for (auto& seg : route.segments)
        id += "_" + std::regex_replace(seg, std::regex("[{}]"), "");
    nlohmann::json op{{"summary", route.summary},
                      {"operationId", id},
                      {"tags", {route.tag}},
                      {"security", security_of(route.auth)},
                      {"x-auth", auth_name(route.auth)},
                      {"x-ripline-extension", route.extension}};
    nlohmann::json params = nlohmann::json::array();
    for (auto& seg : route.segments)
        if (seg.front() == '{')
            params.push_back({{"name", seg.substr(1, seg.size() - 2)},
                              {"in", "path"},
                              {"required", true},
                              {"schema", {{"type", "string"}}}});
    if (!params.empty())
        op["parameters"] = params;
    if (!route.request_type.empty()) {
        nlohmann::json content = nlohmann::json::object();
        std::size_t at = 0;
        for (;;) {
            auto bar = route.request_type.find('|', at);
            content[route.request_type.substr(at, bar - at)] = {
                {"schema", {{"type", "object"}}}};
            if (bar == std::string::npos)
                break;
            at = bar + 1;
        }
        op["requestBody"] = {{"required", false}, {"content", content}};
    }
    nlohmann::json error_schema{{"$ref", "#/components/schemas/Message"}};
    op["responses"]["200"] = {
        {"description", status_text(200)},
        {"content", {{route.response_type, {{"schema", nlohmann::json::object()}}}}}};
    for (int status : route.statuses)
        op["responses"][std::to_string(status)] = {
            {"description", status_text(status)},
            {"content", {{"application/json", {{"schema", error_schema}}}}}};
    return op;
}

}  // namespace

const std::string& docs_page() {
    static const std::string page = docs_html;
    return page;
}

nlohmann::json openapi_document(const Service& service) {
    nlohmann::json doc{
        {"openapi", "3.0.3"},
        {"info",
         {{"title", "ripline-server"},
          {"version", "2.0.0"},
          {"description",
           "PrintFactory-compatible production RIP service. WebSocket "
           "notifications at /notifications (MisKey on the handshake)."},
          {"license",
           {{"name", "AGPL-3.0-or-later"},
            {"url", "https://www.gnu.org/licenses/agpl-3.0.html"}}}}},
        {"servers", {{{"url", "/"}}}},
        {"paths", nlohmann::json::object()}};
    for (auto& route : service.routes()) {
        std::string method = route.method;
        std::transform(method.begin(), method.end(), method.begin(), ::tolower);
        doc["paths"][route.pattern][method] = operation_of(route);
    }
    auto header_key = [](const char* name) {
        return nlohmann::json{{"type", "apiKey"}, {"in", "header"},
                              {"name", name}};
    };
    doc["components"]["securitySchemes"] = {
        {"MisKey", header_key("MisKey")},
        {"HardwareHash", header_key("HardwareHash")},
        {"SerialNumber", header_key("SerialNumber")},
        {"ApplicationVersion", header_key("ApplicationVersion")}};
    doc["components"]["schemas"]["Message"] = {
        {"type", "object"},
        {"properties", {{"Message", {{"type", "string"}}}}},
        {"required", {"Message"}}};
    doc["tags"] = nlohmann::json::array();
    const std::pair<const char*, const char*> tags[] = {
        {"Server", "Status, this document and the docs page"},
        {"Jobs", "Jobs from Job XML: state, journal, thumbnails, devices"},
        {"Documents", "Documents with revisions and thumbnails"},
        {"Resources", "Versioned resources: print modes, profiles, labels"},
        {"Configuration", "RIP computers, devices, sites, queues"},
        {"Nester", "Nest groups with triggers, and nests"},
        {"Logs", "Log entries and crash reports"}};
    for (auto& [tag, text] : tags)
        doc["tags"].push_back({{"name", tag}, {"description", text}});
    return doc;
}

void add_meta_routes(Service& s) {
    s.add({"GET", "/api/v2", Auth::none, "Server",
           "Server status: answers 200 while the service runs", "",
           "application/json", {}, false,
           [](Request&, const Caller&) {
               return string_response("Logging Server is running.");
           }});
    s.add({"GET", "/api/v2/openapi.json", Auth::none, "Server",
           "This OpenAPI 3 document", "", "application/json", {}, true,
           [&s](Request&, const Caller&) {
               return json_response(openapi_document(s));
           }});
    s.add({"GET", "/api/v2/docs", Auth::none, "Server",
           "The readable API documentation page", "", "text/html", {}, true,
           [](Request&, const Caller&) {
               Response response;
               response.content_type = "text/html; charset=utf-8";
               response.body = docs_page();
               return response;
           }});
}

}  // namespace ripline::server
