/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The audio folder reader: a recording's WAV header and its transcript.
 *
 * Input: the bytes of a.wav, a NUL byte, then the bytes of a.txt. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "al-formats.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static char *dir, *wav_path, *txt_path;

/* Plain stdio: g_file_set_contents() syncs to disk, far too slow here. */
static void
put (const char   *path,
     const guint8 *data,
     gsize         size)
{
  FILE *fp = fopen (path, "wb");
  g_assert_nonnull (fp);
  g_assert_cmpuint (fwrite (data, 1, size, fp), ==, size);
  g_assert_cmpint (fclose (fp), ==, 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tasks = NULL;
  const guint8 *nul = memchr (data, 0, size);
  gsize wav_len = nul ? (gsize) (nul - data) : size;

  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("annolab-fuzz-audio-XXXXXX", NULL);
      g_assert_nonnull (dir);
      wav_path = g_build_filename (dir, "a.wav", NULL);
      txt_path = g_build_filename (dir, "a.txt", NULL);
    }
  put (wav_path, data, wav_len);
  if (nul)
    put (txt_path, nul + 1, size - wav_len - 1);
  else
    unlink (txt_path);
  tasks = al_audio_folder_read (dir, NULL, &error);
  g_assert ((tasks == NULL) == (error != NULL));
  return 0;
}
