/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The example driver of docs/drivers.md: ink coverage per sheet, as text. */
#include <ripline/driver.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rl_driver_session {
    const rl_driver_host* host;
    const rl_driver_job_info* job;
    rl_driver_output* output; /* the current sheet's file */
    int sheet;
    long dots[16]; /* dots fired per ink in this sheet */
};

static int fail(rl_driver_session* s, const char* message)
{
    s->host->error(s->host->user, message);
    return 1;
}

static int begin_job(const rl_driver_host* host, const rl_driver_job_info* job,
                     rl_driver_session** out)
{
    rl_driver_session* s;
    if (job->bits_per_dot != 1 || job->ink_count > 16) {
        host->error(host->user, "example takes 1 bit and 16 inks at most");
        return 1;
    }
    s = calloc(1, sizeof *s);
    if (!s) {
        host->error(host->user, "out of memory");
        return 1;
    }
    s->host = host;
    s->job = job;
    *out = s;
    return 0;
}

static int begin_sheet(rl_driver_session* s, const rl_driver_sheet* sheet)
{
    char name[64];
    snprintf(name, sizeof name, "coverage_s%03d.txt", sheet->index + 1);
    s->output = s->host->open_output(s->host->user, name, NULL);
    s->sheet = sheet->index;
    memset(s->dots, 0, sizeof s->dots);
    return s->output ? 0 : 1; /* the host has said why */
}

/* Count the set bits of every row of every ink. */
static int write_band(rl_driver_session* s, const rl_driver_band* band)
{
    size_t bytes = ((size_t)band->width_dots + 7) / 8;
    for (int ink = 0; ink < s->job->ink_count; ++ink) {
        for (int r = 0; r < band->rows; ++r) {
            const uint8_t* row = band->planes[ink] + r * band->stride;
            for (size_t i = 0; i < bytes; ++i)
                s->dots[ink] += __builtin_popcount(row[i]);
        }
    }
    return 0;
}

static int end_sheet(rl_driver_session* s)
{
    char line[128];
    for (int ink = 0; ink < s->job->ink_count; ++ink) {
        int n = snprintf(line, sizeof line, "%s %ld\n", s->job->ink_names[ink],
                         s->dots[ink]);
        if (s->host->write_output(s->host->user, s->output, line, n))
            return 1;
    }
    rl_driver_output* done = s->output;
    s->output = NULL;
    if (s->host->close_output(s->host->user, done, 1))
        return fail(s, "cannot publish the coverage file");
    return 0;
}

static int end_job(rl_driver_session* s)
{
    free(s);
    return 0;
}

static void abort_job(rl_driver_session* s)
{
    if (s->output)
        s->host->close_output(s->host->user, s->output, 0);
    free(s);
}

RL_DRIVER_EXPORT const rl_driver* rl_driver_entry(void)
{
    static const rl_driver table = {
        .magic = RL_DRIVER_MAGIC,
        .abi_major = RL_DRIVER_ABI_MAJOR,
        .abi_minor = RL_DRIVER_ABI_MINOR,
        .size = sizeof(rl_driver),
        .id = "example",
        .description = "ink coverage of each sheet, as a text file",
        .version = "1.0",
        .kind = RL_DRIVER_PRINTER,
        .bit_depths = 1u << 1,
        .begin_job = begin_job,
        .begin_sheet = begin_sheet,
        .write_band = write_band,
        .end_sheet = end_sheet,
        .end_job = end_job,
        .abort_job = abort_job,
    };
    return &table;
}
