/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-a11y"
#include "config.h"

#include <math.h>

#include "al-earcon.h"

typedef struct
{
  double hz;
  int ms;
  gboolean square;
} Note;

/* Each tone lasts well under a word: tens of milliseconds, distinct in
 * pitch and shape, so they are told apart without thinking. */
static const Note saved_notes[] = { { 660, 35, FALSE }, { 990, 45, FALSE } };
static const Note next_notes[] = { { 523, 50, FALSE } };
static const Note error_notes[] = { { 196, 90, TRUE } };

static const struct
{
  const char *name;
  const Note *notes;
  gsize n_notes;
} earcons[AL_N_EARCONS] = {
  [AL_EARCON_SAVED] = { "saved", saved_notes, G_N_ELEMENTS (saved_notes) },
  [AL_EARCON_NEXT_TASK] = { "next-task", next_notes, G_N_ELEMENTS (next_notes) },
  [AL_EARCON_ERROR] = { "error", error_notes, G_N_ELEMENTS (error_notes) },
};

const char *
al_earcon_name (AlEarcon earcon)
{
  g_return_val_if_fail (earcon < AL_N_EARCONS, NULL);
  return earcons[earcon].name;
}

gint16 *
al_earcon_render (AlEarcon  earcon,
                  int       rate,
                  gsize    *n_samples)
{
  gsize total = 0, at = 0;
  gint16 *out;

  g_return_val_if_fail (earcon < AL_N_EARCONS && rate > 0 && n_samples, NULL);
  for (gsize i = 0; i < earcons[earcon].n_notes; i++)
    total += (gsize) earcons[earcon].notes[i].ms * rate / 1000;
  out = g_new0 (gint16, total);
  for (gsize i = 0; i < earcons[earcon].n_notes; i++)
    {
      const Note *note = &earcons[earcon].notes[i];
      gsize n = (gsize) note->ms * rate / 1000;
      /* 4 ms ramps: a tone that starts or stops at full level clicks. */
      gsize ramp = MIN ((gsize) rate / 250, n / 2);

      for (gsize j = 0; j < n; j++)
        {
          double phase = 2 * G_PI * note->hz * j / rate;
          double v = note->square ? (sin (phase) >= 0 ? 0.6 : -0.6) : sin (phase);
          double gain = 1.0;

          if (j < ramp)
            gain = (double) j / ramp;
          else if (n - j <= ramp)
            gain = (double) (n - j - 1) / ramp;
          out[at + j] = (gint16) (v * gain * 0.5 * G_MAXINT16);
        }
      at += n;
    }
  *n_samples = total;
  return out;
}
