// SPDX-License-Identifier: AGPL-3.0-or-later
// Typed reading of element text and attributes, with errors that point.
#include "core/job/xml_util.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace ripline::job::detail {

static std::string trim(std::string text)
{
    const char* space = " \t\r\n";
    std::size_t first = text.find_first_not_of(space);
    if (first == std::string::npos)
        return {};
    std::size_t last = text.find_last_not_of(space);
    return text.substr(first, last - first + 1);
}

std::string text_of(const xmlNode* node)
{
    xmlChar* content = xmlNodeGetContent(node);
    std::string text = content ? reinterpret_cast<char*>(content) : "";
    xmlFree(content);
    return trim(std::move(text));
}

std::string attr(const xmlNode* node, const char* name)
{
    xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
    std::string text = value ? reinterpret_cast<char*>(value) : "";
    xmlFree(value);
    return trim(std::move(text));
}

bool has_attr(const xmlNode* node, const char* name)
{
    return xmlHasProp(node, reinterpret_cast<const xmlChar*>(name)) != nullptr;
}

int to_int(const Source& source, const xmlNode* node, const std::string& text,
           const std::string& what, int min_value, int max_value)
{
    int value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end)
        fail(source, node,
             what + ": expected an integer, found '" + text + "'");
    if (value < min_value || value > max_value)
        fail(source, node,
             what + ": expected " + std::to_string(min_value) + ".." +
                 std::to_string(max_value) + ", found " + text);
    return value;
}

double to_double(const Source& source, const xmlNode* node,
                 const std::string& text, const std::string& what)
{
    double value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end ||
        !std::isfinite(value))
        fail(source, node, what + ": expected a number, found '" + text + "'");
    return value;
}

bool to_bool(const Source& source, const xmlNode* node, const std::string& text,
             const std::string& what)
{
    if (text == "true" || text == "1")
        return true;
    if (text == "false" || text == "0")
        return false;
    fail(source, node, what + ": expected true or false, found '" + text + "'");
}

std::string format_number(double value)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.5f", value);
    std::string out = text;
    while (out.back() == '0')
        out.pop_back();
    if (out.back() == '.')
        out.pop_back();
    return out == "-0" ? "0" : out;
}

} // namespace ripline::job::detail
