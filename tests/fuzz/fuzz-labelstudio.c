/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Label Studio JSON export reader. */
#include "config.h"

#include "al-formats.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tasks = NULL;
  char *labels[] = { "a", "b", NULL };
  AlImportOptions options = { .dataset = "fuzz", .labels = labels };

  tasks = al_labelstudio_parse ((const char *) data, size, "fuzz.json", "/nonexistent", &options,
                                &error);
  g_assert ((tasks == NULL) == (error != NULL));
  return 0;
}
