// SPDX-License-Identifier: AGPL-3.0-or-later
// An HP-RTL reader: escape sequences, modes 0-3, seed rows, bit planes.
#include "tests/drivers/rtl_reader.hpp"

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace ripline::test {

void decode_row(int mode, const uint8_t* data, size_t size,
                std::vector<uint8_t>& row)
{
    size_t out = 0;
    auto need = [&](size_t i) {
        if (i > size)
            throw std::runtime_error("row data ends inside a run");
    };
    auto put = [&](uint8_t byte) {
        if (out >= row.size())
            throw std::runtime_error("row data longer than the raster");
        row[out++] = byte;
    };

    if (mode == 3) {
        // Delta row: replace bytes of the seed row.
        size_t i = 0;
        while (i < size) {
            uint8_t command = data[i++];
            size_t count = (command >> 5) + 1;
            size_t offset = command & 31;
            if (offset == 31) {
                uint8_t more;
                do {
                    need(i + 1);
                    more = data[i++];
                    offset += more;
                } while (more == 255);
            }
            out += offset;
            need(i + count);
            for (size_t k = 0; k < count; ++k)
                put(data[i++]);
        }
        return;
    }

    // Modes 0-2 replace the whole row; what they do not fill is zero.
    std::fill(row.begin(), row.end(), 0);
    for (size_t i = 0; i < size;) {
        if (mode == 0) {
            put(data[i++]);
        } else if (mode == 1) {
            need(i + 2);
            for (int k = 0; k <= data[i]; ++k)
                put(data[i + 1]);
            i += 2;
        } else if (mode == 2) {
            auto control = int8_t(data[i++]);
            if (control >= 0) {
                need(i + size_t(control) + 1);
                for (int k = 0; k <= control; ++k)
                    put(data[i++]);
            } else if (control != -128) {
                need(i + 1);
                for (int k = 0; k < 1 - control; ++k)
                    put(data[i]);
                ++i;
            }
        } else {
            throw std::runtime_error("compression mode " +
                                     std::to_string(mode) + " unknown");
        }
    }
}

namespace {

// The reader's state while it walks the stream.
struct Reader {
    explicit Reader(const std::string& b) : bytes(b) {}

    const std::string& bytes;
    size_t at = 0;
    RtlPage page;
    int mode = 0;
    int y = 0;
    size_t plane = 0;
    std::vector<std::vector<uint8_t>> seeds;

    [[noreturn]] void fail(const std::string& why) const
    {
        throw std::runtime_error("rtl at byte " + std::to_string(at) + ": " +
                                 why);
    }

    void run()
    {
        while (at < bytes.size()) {
            if (bytes[at] != '\x1b')
                fail("data outside a command");
            ++at;
            command();
        }
    }

    void command()
    {
        if (bytes.compare(at, 8, "%-12345X") == 0) {
            at += 8;
        } else if (bytes[at] == 'E') {
            ++at;
        } else if (bytes.compare(at, 3, "%0B") == 0) {
            at += 3;
            hpgl();
        } else {
            parameterized();
        }
    }

    // The HP-GL/2 part: only PS matters here.
    void hpgl()
    {
        size_t end = bytes.find("\x1b%0A", at);
        if (end == std::string::npos)
            fail("HP-GL/2 section without ESC%0A");
        std::string text = bytes.substr(at, end - at);
        size_t ps = text.find("PS");
        if (ps != std::string::npos)
            std::sscanf(text.c_str() + ps, "PS%ld,%ld", &page.plot_length,
                        &page.plot_width);
        at = end + 4;
    }

    // ESC <group> <kind> <value> <letter> [data]
    void parameterized()
    {
        std::string head = bytes.substr(at, 2);
        at += 2;
        size_t start = at;
        while (at < bytes.size() &&
               (std::isdigit(uint8_t(bytes[at])) || bytes[at] == '-'))
            ++at;
        long value = std::atol(bytes.substr(start, at - start).c_str());
        if (at >= bytes.size())
            fail("command without a terminator");
        char letter = bytes[at++];
        dispatch(head + letter, value);
    }

    void dispatch(const std::string& name, long value)
    {
        if (name == "*tR")
            page.dpi = int(value);
        else if (name == "*rS")
            page.width_dots = int(value);
        else if (name == "*rT")
            page.height_dots = int(value);
        else if (name == "*rA")
            start_raster();
        else if (name == "*rC") {
        } else if (name == "*bM")
            mode = int(value);
        else if (name == "*bY")
            skip(value);
        else if (name == "*bV" || name == "*bW")
            transfer(value, name[2] == 'W');
        else if (name == "*gW")
            configure(value);
        else
            fail("unknown command ESC" + name);
    }

    void configure(long size)
    {
        const auto* d = reinterpret_cast<const uint8_t*>(bytes.data() + at);
        if (size < 8 || d[0] != 2)
            fail("configure raster data is not format 2");
        page.inks = d[1];
        page.xdpi = d[2] << 8 | d[3];
        page.ydpi = d[4] << 8 | d[5];
        page.levels = d[6] << 8 | d[7];
        at += size_t(size);
    }

    int bits() const { return page.levels == 4 ? 2 : 1; }

    void start_raster()
    {
        if (page.inks == 0 || page.width_dots == 0)
            fail("raster starts before ESC*g#W and ESC*r#S");
        size_t row_bytes = (size_t(page.width_dots) + 7) / 8;
        seeds.assign(size_t(page.inks * bits()),
                     std::vector<uint8_t>(row_bytes, 0));
        page.dots.assign(size_t(page.inks),
                         std::vector<uint8_t>(size_t(page.width_dots) *
                                                  size_t(page.height_dots),
                                              0));
    }

    void skip(long rows)
    {
        y += int(rows);
        for (auto& seed : seeds)
            std::fill(seed.begin(), seed.end(), 0);
    }

    void transfer(long size, bool last)
    {
        if (plane >= seeds.size() || y >= page.height_dots)
            fail("more planes or rows than configured");
        page.modes_used |= 1 << mode;
        const auto* data = reinterpret_cast<const uint8_t*>(bytes.data() + at);
        decode_row(mode, data, size_t(size), seeds[plane]);
        at += size_t(size);
        store_plane();
        ++plane;
        if (last) {
            if (plane != seeds.size())
                fail("row ended after " + std::to_string(plane) + " planes");
            plane = 0;
            ++y;
        }
    }

    // Add the current plane's bits to its ink's dot values.
    void store_plane()
    {
        int ink = int(plane) / bits();
        int weight = 1 << (int(plane) % bits());
        std::vector<uint8_t>& dots = page.dots[size_t(ink)];
        const std::vector<uint8_t>& row = seeds[plane];
        for (int x = 0; x < page.width_dots; ++x)
            if ((row[size_t(x) >> 3] >> (7 - (x & 7))) & 1)
                dots[size_t(y) * size_t(page.width_dots) + size_t(x)] +=
                    uint8_t(weight);
    }
};

} // namespace

RtlPage read_rtl(const std::string& bytes)
{
    Reader reader(bytes);
    reader.run();
    return reader.page;
}

} // namespace ripline::test
