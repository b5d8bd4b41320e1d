/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define AL_SPEECH_OUTPUT_RATE 22050

/* The GStreamer side of speech: appsrc (S16LE, 22050 Hz, mono) →
 * audioconvert → audioresample → volume → sink. Only the speech thread
 * pushes and flushes. */
typedef struct _AlSpeechOutput AlSpeechOutput;

AlSpeechOutput *al_speech_output_new          (const char      *sink,
                                               char           **notice,
                                               GError         **error);
void            al_speech_output_free         (AlSpeechOutput  *output);
gboolean        al_speech_output_is_live      (AlSpeechOutput  *output);
GstClockTime    al_speech_output_now          (AlSpeechOutput  *output);
void            al_speech_output_push         (AlSpeechOutput  *output,
                                               const gint16    *samples,
                                               gsize            n_samples,
                                               GstClockTime     pts);
void            al_speech_output_flush        (AlSpeechOutput  *output);
GstClockTime    al_speech_output_unheard      (AlSpeechOutput  *output);
gboolean        al_speech_output_has_device   (AlSpeechOutput  *output);
void            al_speech_output_set_volume   (AlSpeechOutput  *output,
                                               double           volume);
GstPad         *al_speech_output_get_sink_pad (AlSpeechOutput  *output);
GBytes         *al_speech_output_dup_samples  (AlSpeechOutput  *output);
void            al_speech_output_finish       (AlSpeechOutput  *output);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSpeechOutput, al_speech_output_free)

G_END_DECLS
