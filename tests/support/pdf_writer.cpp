// SPDX-License-Identifier: AGPL-3.0-or-later
// PdfWriter: object numbering, the page tree and the cross-reference table.
#include "tests/support/pdf_writer.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace ripline::test {

int PdfWriter::add(const std::string& body)
{
    objects_.push_back(body);
    return int(objects_.size()) + 2; // 1 = catalog, 2 = page tree
}

int PdfWriter::add_stream(const std::string& dict, const std::string& data)
{
    std::string inner = dict.substr(0, dict.rfind(">>"));
    return add(inner + " /Length " + std::to_string(data.size()) +
               " >>\nstream\n" + data + "\nendstream");
}

void PdfWriter::add_page(double width_pt, double height_pt,
                         const std::string& content,
                         const std::string& resources)
{
    const int stream = add_stream("<<>>", content);
    char box[96];
    std::snprintf(box, sizeof box, "[0 0 %g %g]", width_pt, height_pt);
    pages_.push_back(add("<< /Type /Page /Parent 2 0 R /MediaBox " +
                         std::string(box) + " /Resources " + resources +
                         " /Contents " + std::to_string(stream) + " 0 R >>"));
}

void PdfWriter::write(const std::filesystem::path& path) const
{
    std::string kids;
    for (int page : pages_)
        kids += std::to_string(page) + " 0 R ";
    std::vector<std::string> all = {
        "<< /Type /Catalog /Pages 2 0 R " + catalog_ + " >>",
        "<< /Type /Pages /Kids [" + kids + "] /Count " +
            std::to_string(pages_.size()) + " >>"};
    all.insert(all.end(), objects_.begin(), objects_.end());

    std::string out = "%PDF-1.6\n%\xE2\xE3\xCF\xD3\n";
    std::vector<size_t> offsets;
    for (size_t i = 0; i < all.size(); i++) {
        offsets.push_back(out.size());
        out += std::to_string(i + 1) + " 0 obj\n" + all[i] + "\nendobj\n";
    }
    const size_t xref = out.size();
    out += "xref\n0 " + std::to_string(all.size() + 1) +
           "\n0000000000 65535 f \n";
    for (size_t offset : offsets) {
        char line[24];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
        out += line;
    }
    out += "trailer\n<< /Size " + std::to_string(all.size() + 1) +
           " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) +
           "\n%%EOF\n";
    std::ofstream(path, std::ios::binary) << out;
}

std::string read_bytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace ripline::test
