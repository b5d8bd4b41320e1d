/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-demo"

#include "config.h"

#include <glib/gi18n.h>

#include "al-demo.h"
#include "al-jsonl.h"

/* Installed data first, then the source tree, so ./run works unbuilt. */
char *
al_demo_find_tasks (void)
{
  const char *override = g_getenv ("ANNOLAB_DATA_DIR");
  const char *dirs[] = { override, ANNOLAB_DATADIR, ANNOLAB_SOURCE_DATADIR };

  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = NULL;
      if (dirs[i] == NULL)
        continue;
      path = g_build_filename (dirs[i], "demo", "tasks.jsonl", NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

gboolean
al_demo_seed (AlStore *store,
              GError **error)
{
  g_autofree char *path = al_demo_find_tasks ();
  g_autoptr (GPtrArray) tasks = NULL;

  if (path == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("The demo tasks were not found; reinstall annolab or start it with --no-demo."));
      return FALSE;
    }
  tasks = al_jsonl_read_tasks (path, error);
  return tasks != NULL && al_store_import_tasks (store, tasks, "demo", "jsonl", error);
}
