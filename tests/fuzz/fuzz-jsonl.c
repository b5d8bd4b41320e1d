/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "al-jsonl.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tasks = NULL;

  tasks = al_jsonl_parse_tasks ((const char *) data, size, "fuzz.jsonl", "/tmp", &error);
  g_assert ((tasks == NULL) == (error != NULL));
  return 0;
}
