/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AL_TYPE_WAVEFORM (al_waveform_get_type ())
G_DECLARE_FINAL_TYPE (AlWaveform, al_waveform, AL, WAVEFORM, GtkWidget)

/* The segment as a picture for sighted workers: the sound, the part
 * already heard, and where playback is. Screen readers get the same as a
 * description. */
AlWaveform *al_waveform_new          (void);
void        al_waveform_set_peaks    (AlWaveform *self,
                                      GArray     *peaks,
                                      double      duration);
void        al_waveform_set_position (AlWaveform *self,
                                      double      seconds);

G_END_DECLS
