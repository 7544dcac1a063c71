// SPDX-License-Identifier: AGPL-3.0-or-later
// Small libxml2 helpers the ticket reader and writer share (internal).
#pragma once

#include "core/common/error.hpp"

#include <libxml/tree.h>

#include <string>

namespace ripline::job::detail {

// Where the ticket came from, so that errors can name it.
struct Source {
    std::string name;
};

// The element's name as a message shows it: <Name>.
inline std::string tag(const xmlNode* node)
{
    return "<" + std::string(reinterpret_cast<const char*>(node->name)) + ">";
}

inline std::string name_of(const xmlNode* node)
{
    return reinterpret_cast<const char*>(node->name);
}

[[noreturn]] inline void fail(const Source& source, const xmlNode* node,
                              const std::string& message)
{
    int line = node ? static_cast<int>(xmlGetLineNo(node)) : 0;
    throw Error(RL_ERROR_BAD_INPUT, Stage::job, message, source.name,
                line > 0 ? line : 0);
}

// The element's text with surrounding white space removed.
std::string text_of(const xmlNode* node);

// An attribute's value, or "" when absent; has_attr tells them apart.
std::string attr(const xmlNode* node, const char* name);
bool has_attr(const xmlNode* node, const char* name);

// Typed values; each failure names the element (and attribute) and what
// was expected. `what` is "<Copies>" or "<FilePath>@Copies".
int to_int(const Source& source, const xmlNode* node, const std::string& text,
           const std::string& what, int min_value, int max_value);
double to_double(const Source& source, const xmlNode* node,
                 const std::string& text, const std::string& what);
bool to_bool(const Source& source, const xmlNode* node, const std::string& text,
             const std::string& what);

// Numbers as the writer spells them: up to 5 decimals, no trailing zeros.
std::string format_number(double value);

} // namespace ripline::job::detail
