/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-task.h"

G_BEGIN_DECLS

/* Reads annolab's native task file: one JSON task per line. Blank lines
 * are skipped; any bad line fails the whole file with its line number. */
GPtrArray *al_jsonl_read_tasks (const char *path,
                                GError    **error);
GPtrArray *al_jsonl_parse_tasks (const char *text,
                                 gsize       length,
                                 const char *name,
                                 const char *base_dir,
                                 GError    **error);

G_END_DECLS
