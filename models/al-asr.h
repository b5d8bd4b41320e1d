/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-task.h"

G_BEGIN_DECLS

#define AL_MODEL_ERROR (al_model_error_quark ())
GQuark al_model_error_quark (void);

typedef enum
{
  AL_MODEL_ERROR_MISSING,   /* the model or its files are not installed */
  AL_MODEL_ERROR_MEDIA,     /* the task's recording or photo cannot be read */
  AL_MODEL_ERROR_SERVER,    /* a model server that is down, slow or answers nonsense */
} AlModelError;

/* English speech recognition with PocketSphinx and its en-us model. */
typedef struct _AlAsr AlAsr;

AlAsr   *al_asr_new        (GError      **error);
void     al_asr_free       (AlAsr        *asr);
/* Whether a model for @language is there ("en" only). */
gboolean al_asr_has_language (const char *language);
/* Decodes only the task's segment: {"model", "version", "text", "words":
 * [{"word", "confidence", "start", "end"}]}, times in seconds of the
 * recording. Blocking. */
json_t  *al_asr_propose    (AlAsr        *asr,
                            const AlTask *task,
                            GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlAsr, al_asr_free)

G_END_DECLS
