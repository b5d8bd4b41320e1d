/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CVAT for video XML, as the importer reads it. */
#include "config.h"

#include "al-formats.h"
#include "al-track.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) tracks = NULL;

  tracks = al_cvat_video_parse ((const char *) data, size, "fuzz.xml", labels, &error);
  g_assert ((tracks == NULL) == (error != NULL));
  for (guint i = 0; tracks && i < tracks->len; i++)
    {
      AlTrack *track = tracks->pdata[i];
      g_assert (track->label && *track->label);
      for (guint j = 0; j < track->keys->len; j++)
        {
          AlTrackKey *k = &g_array_index (track->keys, AlTrackKey, j);
          g_assert (k->w >= 0 && k->h >= 0 && k->t >= 0 && k->t <= 10000000);
          g_assert (j == 0 || k->t > g_array_index (track->keys, AlTrackKey, j - 1).t);
        }
    }
  return 0;
}
