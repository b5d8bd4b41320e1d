/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "al-text.h"

G_BEGIN_DECLS

/* How tokens are aligned. JIWER: unit-cost Levenshtein with jiwer's (and
 * RapidFuzz's) choice among equally cheap alignments. SCLITE: NIST sclite's
 * costs (correct 0, substitution 4, insertion and deletion 3) and its
 * tie-breaking, so counts equal sclite's. */
typedef enum
{
  AL_ALIGN_JIWER,
  AL_ALIGN_SCLITE,
} AlAlignMode;

typedef enum
{
  AL_EDIT_CORRECT,
  AL_EDIT_SUBSTITUTE,
  AL_EDIT_DELETE, /* a reference token the hypothesis lacks */
  AL_EDIT_INSERT, /* a hypothesis token the reference lacks */
} AlEdit;

typedef struct
{
  AlEdit edit;
  int ref;  /* index into the reference tokens, or -1 */
  int hyp;  /* index into the hypothesis tokens, or -1 */
} AlEditOp;

/* Counts pooled over any number of utterances; the measures divide the
 * pooled counts, as jiwer does for a list of sentences. */
typedef struct
{
  gint64 hits;
  gint64 substitutions;
  gint64 deletions;
  gint64 insertions;
  gint64 ref_tokens;
  gint64 hyp_tokens;
  gint64 utterances;
} AlWerCounts;

typedef struct
{
  double wer;
  double mer;
  double wil;
  double wip;
} AlWerMeasures;

/* Largest DP table one utterance may need (cells). */
#define AL_WER_MAX_CELLS (G_GINT64_CONSTANT (1) << 25)

typedef struct _AlAligner AlAligner;

AlAligner *al_aligner_new     (AlAlignMode        mode);
void       al_aligner_free    (AlAligner         *aligner);
/* Aligns two token sequences, adds the result to @counts and, when @ops is
 * not NULL, fills it with AlEditOp in order. The DP buffer is reused from
 * call to call. Fails only when the table would exceed AL_WER_MAX_CELLS. */
gboolean   al_aligner_align   (AlAligner         *aligner,
                               const AlToken     *ref,
                               guint              n_ref,
                               const AlToken     *hyp,
                               guint              n_hyp,
                               AlWerCounts       *counts,
                               GArray            *ops,
                               GError           **error);

void       al_wer_measures    (const AlWerCounts *counts,
                               AlWerMeasures     *out);

/* Convenience for short texts: jiwer's wer()/cer() on one pair, after
 * normalising both sides with @flags. */
void       al_wer_text        (const char        *reference,
                               const char        *hypothesis,
                               AlTextFlags        flags,
                               gboolean           characters,
                               AlWerCounts       *counts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlAligner, al_aligner_free)

G_END_DECLS
