/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Gold transcripts in trn form, as the importer reads them. */
#include "config.h"

#include "al-formats.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = NULL;

  lines = al_trn_gold_parse ((const char *) data, size, "fuzz.trn", &error);
  g_assert ((lines == NULL) == (error != NULL));
  for (guint i = 0; lines && i < lines->len; i++)
    {
      AlGoldLine *line = lines->pdata[i];
      g_assert (g_utf8_validate (line->text, -1, NULL) && *line->id != '\0');
    }
  return 0;
}
