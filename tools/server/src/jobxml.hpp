// SPDX-License-Identifier: AGPL-3.0-or-later
// JobXml: the Job XML ticket as the service reads and edits it (libxml2).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

typedef struct _xmlDoc xmlDoc;
typedef struct _xmlNode xmlNode;

namespace ripline::server {

// One PDFJob/InputJobs/FilePath of a ticket.
struct FilePath {
    xmlNode* node = nullptr;
    std::string path;  // the element's text
    std::string id;    // @Id: a DocumentGUID
    int copies = 1;    // @Copies
};

class JobXml {
public:
    // Parse TEXT; throws ApiError 400 naming the line on malformed XML or
    // a root other than Job. SOURCE names the input in messages.
    static JobXml parse(std::string_view text,
                        const std::string& source = "Job XML");

    // Text of the first direct child of Job named NAME ("" if absent).
    std::string text(const std::string& name) const;
    // Set (or add) the direct child NAME of Job to VALUE.
    void set_text(const std::string& name, const std::string& value);
    // Attribute ATTR of the first direct child NAME of Job.
    std::string attribute(const std::string& name,
                          const std::string& attr) const;

    // JobGUID, or the legacy GUID of v1 tickets.
    std::string job_guid() const;

    std::vector<FilePath> file_paths() const;
    void set_file_path(const FilePath& file, const std::string& path,
                       const std::string& id);

    // Document GUIDs named in Documents/Document/DocumentGUID (or @GUID).
    std::vector<std::string> document_guids() const;

    std::string dump() const;

private:
    struct Free {
        void operator()(xmlDoc* doc) const;
    };
    xmlNode* child(const std::string& name) const;
    std::unique_ptr<xmlDoc, Free> doc_;
};

// True when PATH is a plain name or relative path that stays inside its
// folder: no "..", no absolute start, no NUL, no backslash tricks.
bool is_safe_relative_path(std::string_view path);

}  // namespace ripline::server
