/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include "al-export-util.h"
#include "al-format-private.h"

/* YOLO: classes.txt (one label per line, the line number is the class)
 * and per image STEM.txt with "class cx cy w h", normalised to 0..1. */

static gboolean
write_classes (const char *folder,
               GPtrArray  *order,
               GError    **error)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_autofree char *path = g_build_filename (folder, "classes.txt", NULL);

  for (guint i = 0; i < order->len; i++)
    g_string_append_printf (s, "%s\n", (const char *) order->pdata[i]);
  return al_export_write (path, s->str, s->len, error);
}

gboolean
al_export_yolo (AlExport   *export,
                const char *dir,
                GError    **error)
{
  g_autoptr (GHashTable) classes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  g_autoptr (GHashTable) folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < export->tasks->len; i++)
    {
      AlTask *task = export->tasks->pdata[i];
      if (task->kind != AL_TASK_KIND_BBOX)
        continue;
      for (char **l = task->labels; l && *l; l++)
        if (!g_hash_table_contains (classes, *l))
          {
            g_hash_table_insert (classes, *l, GUINT_TO_POINTER (order->len));
            g_ptr_array_add (order, *l);
          }
    }

  for (guint i = 0; i < export->items->len; i++)
    {
      AlExportItem *item = export->items->pdata[i];
      AlTask *task = item->task;
      g_autofree char *folder = NULL;
      g_autofree char *stem = NULL;
      g_autofree char *path = NULL;
      g_autoptr (GString) s = g_string_new (NULL);
      size_t b;
      json_t *box;

      if (task->kind != AL_TASK_KIND_BBOX)
        continue;
      if (!al_export_image_size (task, error))
        return FALSE;
      folder = al_export_folder (dir, export->single, item->folder, error);
      if (folder == NULL)
        return FALSE;
      if (!g_hash_table_contains (folders, folder))
        {
          if (!write_classes (folder, order, error))
            return FALSE;
          g_hash_table_add (folders, g_strdup (folder));
        }
      json_array_foreach (json_object_get (item->result, "boxes"), b, box)
        {
          double x = json_number_value (json_object_get (box, "x"));
          double y = json_number_value (json_object_get (box, "y"));
          double w = json_number_value (json_object_get (box, "w"));
          double h = json_number_value (json_object_get (box, "h"));
          const char *label = json_string_value (json_object_get (box, "label"));
          gpointer cls;
          char num[4][G_ASCII_DTOSTR_BUF_SIZE];

          if (label == NULL || !g_hash_table_lookup_extended (classes, label, NULL, &cls))
            continue;
          g_ascii_formatd (num[0], sizeof num[0], "%.6f", (x + w / 2) / task->width);
          g_ascii_formatd (num[1], sizeof num[1], "%.6f", (y + h / 2) / task->height);
          g_ascii_formatd (num[2], sizeof num[2], "%.6f", w / task->width);
          g_ascii_formatd (num[3], sizeof num[3], "%.6f", h / task->height);
          g_string_append_printf (s, "%u %s %s %s %s\n", GPOINTER_TO_UINT (cls), num[0], num[1],
                                  num[2], num[3]);
        }
      stem = al_export_media_stem (task);
      path = al_export_file_name (used, folder, stem, ".txt");
      if (!al_export_write (path, s->str, s->len, error))
        return FALSE;
    }
  return TRUE;
}
