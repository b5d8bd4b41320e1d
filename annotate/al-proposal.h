/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <jansson.h>

#include "al-box-model.h"

G_BEGIN_DECLS

/* Below this confidence a word or a box is worth a second look: it is
 * marked on the screen and the keys jump to it. */
#define AL_PROPOSAL_UNSURE 0.6

/* What became of a model's proposal in a result: items kept as they were
 * proposed, changed, added by the person, and proposed items removed. */
typedef struct
{
  guint accepted;
  guint changed;
  guint added;
  guint rejected;
} AlProposalCounts;

/* "Model proposal (pocketsphinx 0.8)", translated. */
char      *al_proposal_title        (json_t                 *proposal);
/* {"model", "version", "accepted", "changed", "added", "rejected"}: the
 * mark a result made from @proposal carries. */
json_t    *al_proposal_mark         (json_t                 *proposal,
                                     const AlProposalCounts *counts);

/* The words of a text, split at white space. */
char     **al_proposal_split_words  (const char             *text);
/* Two words are the same word when they differ only in case and in the
 * punctuation around them. */
gboolean   al_proposal_same_word    (const char             *a,
                                     const char             *b);
/* Aligns @draft to @final with the fewest edits (as word error rate
 * does): kept words are accepted, substituted ones changed, inserted
 * ones added and deleted ones rejected. @kept (may be NULL, as long as
 * @draft) gets for each draft word the index of the final word it was
 * kept as, or -1. */
void       al_proposal_align_words  (char                  **draft,
                                     char                  **final,
                                     int                    *kept,
                                     AlProposalCounts       *counts);
/* The words of a transcription proposal that the text draft carries:
 * each word's confidence, -1 when the model gave none. */
double     al_proposal_word_confidence (json_t              *proposal,
                                        guint                index);

/* The proposed boxes as the model of a @width × @height image holds them
 * (clamped to the image), with their label index, proposal number (from 1)
 * and unchecked set. Boxes with a label the task lacks are left out. */
GArray    *al_proposal_boxes        (json_t                 *proposal,
                                     char                  **labels,
                                     double                  width,
                                     double                  height);

typedef enum
{
  AL_BOX_ORIGIN_ADDED,    /* drawn by the person */
  AL_BOX_ORIGIN_PENDING,  /* proposed, not checked yet */
  AL_BOX_ORIGIN_ACCEPTED, /* proposed and accepted as it was */
  AL_BOX_ORIGIN_CHANGED,  /* proposed, then moved, resized or relabelled */
} AlBoxOrigin;

/* Where @box comes from, against @proposed (from al_proposal_boxes). */
AlBoxOrigin al_proposal_box_origin  (GArray                 *proposed,
                                     const AlBox            *box);
/* Counting by origin, for boxes and tracks alike: add each item sent, then
 * finish with how many were proposed; the proposed ones not sent were
 * rejected. Unchecked proposals count as accepted, as they are sent the way
 * they were proposed. */
void        al_proposal_counts_add    (AlProposalCounts      *counts,
                                       AlBoxOrigin            origin);
void        al_proposal_counts_finish (AlProposalCounts      *counts,
                                       guint                  n_proposed);
/* The counts for the boxes in @model. */
void        al_proposal_count_boxes (GArray                 *proposed,
                                     AlBoxModel             *model,
                                     AlProposalCounts       *counts);
/* The confidence of proposed box @number (from 1), -1 if none. */
double      al_proposal_box_confidence (json_t              *proposal,
                                        int                  number);

G_END_DECLS
