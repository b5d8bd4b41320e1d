/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdio.h>
#include <glib.h>

#include "al-wer.h"

G_BEGIN_DECLS

/* Longest line a trn file may have. */
#define AL_TRN_MAX_LINE (1 << 20)

/* Streams a NIST trn file: one utterance per line, "text (utterance-id)". */
typedef struct _AlTrnReader AlTrnReader;

AlTrnReader *al_trn_reader_open   (const char   *path,
                                   gboolean      require_utf8,
                                   GError      **error);
void         al_trn_reader_free   (AlTrnReader  *reader);
/* Returns FALSE at the end of the file or on error (then @error is set).
 * @text and @id point into the reader and stay valid until the next call. */
gboolean     al_trn_reader_next   (AlTrnReader  *reader,
                                   char        **text,
                                   const char  **id,
                                   GError      **error);
guint        al_trn_reader_line   (AlTrnReader  *reader);
const char  *al_trn_reader_path   (AlTrnReader  *reader);
gboolean     al_trn_reader_seek   (AlTrnReader  *reader,
                                   gint64        offset,
                                   guint         line,
                                   GError      **error);
gint64       al_trn_reader_offset (AlTrnReader  *reader);

typedef struct
{
  AlAlignMode mode;
  AlTextFlags flags;       /* applied to both sides before tokenising */
  gboolean characters;     /* also compute character counts */
} AlTrnOptions;

typedef struct
{
  AlWerCounts words;
  AlWerCounts chars;
  gint64 missing;          /* reference utterances without a hypothesis */
} AlTrnResult;

/* Scores every hypothesis utterance against the reference utterance with
 * the same id. Files in the same order are read in lock step; otherwise
 * the reference is indexed by id (offsets only, not text). */
gboolean     al_trn_score_files   (const char         *ref_path,
                                   const char         *hyp_path,
                                   const AlTrnOptions *options,
                                   AlTrnResult        *result,
                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlTrnReader, al_trn_reader_free)

G_END_DECLS
