/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Short tones that stand for a sentence at the experienced verbosity. */
typedef enum
{
  AL_EARCON_SAVED,      /* two rising notes */
  AL_EARCON_NEXT_TASK,  /* one middle note */
  AL_EARCON_ERROR,      /* a low buzz */
  AL_N_EARCONS,
} AlEarcon;

/* "saved", "next-task", "error": the name in the speech log. */
const char *al_earcon_name   (AlEarcon  earcon);
/* The tone as S16 mono samples at @rate Hz, faded in and out. */
gint16     *al_earcon_render (AlEarcon  earcon,
                              int       rate,
                              gsize    *n_samples);

G_END_DECLS
