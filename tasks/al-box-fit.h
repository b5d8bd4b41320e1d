/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <jansson.h>

G_BEGIN_DECLS

/* The largest image side annolab takes, and the bound for boxes on an
 * image of unknown size. */
#define AL_BOX_MAX_SIDE 1000000

/* Fits the box {x, y, w, h} (pixels) onto a @width × @height image (0 when
 * unknown): what lies outside is clipped off. A box that is not finite,
 * reaches more than one image size outside, or has nothing left inside is
 * refused: FALSE, with @problem (free with g_free) saying why. */
gboolean al_box_fit (json_t *box,
                     int     width,
                     int     height,
                     char  **problem);

/* al_box_fit() on every box of @result; the message names the box. */
gboolean al_boxes_fit (json_t *result,
                       int     width,
                       int     height,
                       char  **problem);

G_END_DECLS
