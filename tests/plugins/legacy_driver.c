/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A module built against ABI 1.0: its table ends at abort_job. */
#include <ripline/driver.h>

#include <stdlib.h>

/* The 1.0 layout, as a module compiled then would have it. */
typedef struct legacy_driver {
    uint32_t magic;
    uint16_t abi_major, abi_minor;
    uint32_t size;
    const char *id, *description, *version;
    uint32_t kind;
    int max_inks;
    uint32_t bit_depths;
    const int* dpi_list;
    int dpi_count;
    int (*begin_job)(const rl_driver_host*, const rl_driver_job_info*,
                     rl_driver_session**);
    int (*begin_sheet)(rl_driver_session*, const rl_driver_sheet*);
    int (*write_band)(rl_driver_session*, const rl_driver_band*);
    int (*end_sheet)(rl_driver_session*);
    int (*end_job)(rl_driver_session*);
    void (*abort_job)(rl_driver_session*);
} legacy_driver;

struct rl_driver_session {
    int rows;
};

static int begin_job(const rl_driver_host* h, const rl_driver_job_info* j,
                     rl_driver_session** s)
{
    (void)h, (void)j;
    *s = calloc(1, sizeof **s);
    return *s ? 0 : 1;
}
static int sheet(rl_driver_session* s, const rl_driver_sheet* sh)
{
    (void)s, (void)sh;
    return 0;
}
static int band(rl_driver_session* s, const rl_driver_band* b)
{
    s->rows += b->rows;
    return 0;
}
static int step(rl_driver_session* s)
{
    (void)s;
    return 0;
}
static int done(rl_driver_session* s)
{
    free(s);
    return 0;
}
static void stop(rl_driver_session* s)
{
    free(s);
}

static const legacy_driver table = {
    .magic = RL_DRIVER_MAGIC,
    .abi_major = 1,
    .abi_minor = 0,
    .size = sizeof(legacy_driver),
    .id = "legacy",
    .kind = RL_DRIVER_PRINTER,
    .bit_depths = 1u << 1,
    .begin_job = begin_job,
    .begin_sheet = sheet,
    .write_band = band,
    .end_sheet = step,
    .end_job = done,
    .abort_job = stop,
};

RL_DRIVER_EXPORT const rl_driver* rl_driver_entry(void)
{
    return (const rl_driver*)(const void*)&table;
}
