// SPDX-License-Identifier: AGPL-3.0-or-later
// PdfWriter: small, exact test PDFs (patches, images, spots) built in code.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ripline::test {

// Builds a PDF object by object; write() lays out the xref table. Pages
// share one resource dictionary given as raw PDF source.
class PdfWriter {
public:
    // Add an object (its body without "N 0 obj"); returns its number.
    int add(const std::string& body);
    // Add a stream object with DICT's entries (no /Length) and DATA.
    int add_stream(const std::string& dict, const std::string& data);
    // Add a page WIDTH_PT x HEIGHT_PT drawing CONTENT with RESOURCES.
    void add_page(double width_pt, double height_pt,
                  const std::string& content,
                  const std::string& resources = "<<>>");
    // Extra entries for the catalog, e.g. "/OutputIntents [5 0 R]".
    void set_catalog_extra(const std::string& extra) { catalog_ = extra; }

    void write(const std::filesystem::path& path) const;

private:
    std::vector<std::string> objects_;
    std::vector<int> pages_;
    std::string catalog_;
};

// Read a whole file as bytes.
std::string read_bytes(const std::filesystem::path& path);

}  // namespace ripline::test
