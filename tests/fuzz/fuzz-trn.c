/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NIST trn reader and the scoring of one trn file against another.
 *
 * Input: one byte of options (alignment, text flags, characters), then the
 * reference, a NUL byte, and the hypothesis. */
#include "config.h"

#include <string.h>

#include "al-trn.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static char *ref_path, *hyp_path;

/* Plain stdio: g_file_set_contents() syncs to disk, far too slow here. */
static void
put (const char *path, const guint8 *data, gsize size)
{
  FILE *fp = fopen (path, "wb");
  g_assert_nonnull (fp);
  g_assert_cmpuint (fwrite (data, 1, size, fp), ==, size);
  g_assert_cmpint (fclose (fp), ==, 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const guint8 *nul;
  gsize ref_len;
  AlTrnOptions options = { 0 };
  AlTrnResult result;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTrnReader) reader = NULL;
  char *text;
  const char *id;
  guint8 opts;

  if (ref_path == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("annolab-fuzz-XXXXXX", NULL);
      g_assert_nonnull (dir);
      ref_path = g_build_filename (dir, "ref.trn", NULL);
      hyp_path = g_build_filename (dir, "hyp.trn", NULL);
    }
  if (size < 1)
    return 0;
  opts = data[0];
  options.mode = data[0] & 1 ? AL_ALIGN_SCLITE : AL_ALIGN_JIWER;
  options.flags = (data[0] >> 1) & 0x1f;
  options.characters = (data[0] & 0x40) != 0;
  data++, size--;
  nul = memchr (data, '\0', size);
  ref_len = nul ? (gsize)(nul - data) : size;
  put (ref_path, data, ref_len);
  put (hyp_path, nul ? nul + 1 : data, nul ? size - ref_len - 1 : 0);

  /* The reader on its own: every utterance has text and a non-empty id. */
  reader = al_trn_reader_open (ref_path, (opts & 0x80) != 0, &error);
  g_assert_no_error (error);
  while (al_trn_reader_next (reader, &text, &id, &error))
    {
      g_assert_nonnull (text);
      g_assert_true (id && *id);
    }
  g_clear_error (&error);

  if (al_trn_score_files (ref_path, hyp_path, &options, &result, &error))
    {
      g_assert_no_error (error);
      g_assert_cmpint (result.missing, >=, 0);
    }
  else
    g_assert_nonnull (error);
  return 0;
}
