/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AL_QUALITY_ERROR (al_quality_error_quark ())
GQuark al_quality_error_quark (void);

typedef enum
{
  AL_QUALITY_ERROR_PARSE,    /* malformed input: file and line or JSON position in the message */
  AL_QUALITY_ERROR_MISMATCH, /* inputs that do not belong together */
  AL_QUALITY_ERROR_TOO_LARGE,
  AL_QUALITY_ERROR_IO,
} AlQualityError;

G_END_DECLS
