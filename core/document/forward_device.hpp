// SPDX-License-Identifier: AGPL-3.0-or-later
// ForwardDevice: a MuPDF device that passes every call on to another, the
// base of devices that change only some calls.
#pragma once

#include <mupdf/fitz.h>

namespace ripline::document {

// A device struct starts with this (MuPDF's own derived devices start
// with fz_device the same way). Create one with fz_new_derived_device.
struct ForwardDevice {
    fz_device super;
    fz_device* target; // not owned; closed and dropped by its owner
};

inline fz_device* forward_target(fz_device* dev)
{
    return reinterpret_cast<ForwardDevice*>(dev)->target;
}

// Point every drawing, clipping, group, tile, layer and flag callback of
// DEV at a forwarder to its target; the caller then replaces the calls it
// changes. Close and drop are left to the caller.
void forward_all(fz_device* dev);

}  // namespace ripline::document
