/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Deliberately broken modules the host must refuse, one per macro. */
#include <ripline/driver.h>

static int begin_job(const rl_driver_host* h, const rl_driver_job_info* j,
                     rl_driver_session** s)
{
    (void)h, (void)j, (void)s;
    return 1;
}
static int sheet(rl_driver_session* s, const rl_driver_sheet* sh)
{
    (void)s, (void)sh;
    return 1;
}
static int band(rl_driver_session* s, const rl_driver_band* b)
{
    (void)s, (void)b;
    return 1;
}
static int step(rl_driver_session* s)
{
    (void)s;
    return 1;
}
static void stop(rl_driver_session* s)
{
    (void)s;
}

#if defined(BAD_MAJOR)
#define MAGIC RL_DRIVER_MAGIC
#define MAJOR (RL_DRIVER_ABI_MAJOR + 1)
#define ID "badmajor"
#elif defined(BAD_MAGIC)
#define MAGIC 0x12345678u
#define MAJOR RL_DRIVER_ABI_MAJOR
#define ID "badmagic"
#else
#define MAGIC RL_DRIVER_MAGIC
#define MAJOR RL_DRIVER_ABI_MAJOR
#define ID "nosymbol"
#endif

static const rl_driver table = {
    .magic = MAGIC,
    .abi_major = MAJOR,
    .size = sizeof(rl_driver),
    .id = ID,
    .kind = RL_DRIVER_PRINTER,
    .begin_job = begin_job,
    .begin_sheet = sheet,
    .write_band = band,
    .end_sheet = step,
    .end_job = step,
    .abort_job = stop,
};

#if defined(NO_SYMBOL)
/* The entry point under another name: the host must not find it. */
RL_DRIVER_EXPORT const rl_driver* rl_driver_entry_v2(void)
{
    return &table;
}
#else
RL_DRIVER_EXPORT const rl_driver* rl_driver_entry(void)
{
    return &table;
}
#endif
