/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <math.h>

#include "al-export-util.h"
#include "al-format-private.h"

/* Pascal VOC: one STEM.xml per image. VOC pixels count from 1 and both
 * corners are inside the box, so x, y, w, h become xmin = x + 1,
 * xmax = x + w (rounded). */

static void
append_escaped (GString    *s,
                const char *tag,
                const char *text)
{
  g_autofree char *esc = g_markup_escape_text (text ? text : "", -1);
  g_string_append_printf (s, "<%s>%s</%s>", tag, esc, tag);
}

static char *
voc_xml (AlExportItem *item)
{
  AlTask *task = item->task;
  GString *s = g_string_new ("<annotation>\n  ");
  g_autofree char *base = g_path_get_basename (task->media);
  g_autofree char *folder = g_path_get_dirname (task->media);
  g_autofree char *folder_base = g_path_get_basename (folder);
  const char *file = task->source ? json_string_value (json_object_get (task->source,
                                                                        "file_name"))
                                  : NULL;
  size_t b;
  json_t *box;

  append_escaped (s, "folder", folder_base);
  g_string_append (s, "\n  ");
  append_escaped (s, "filename", file ? file : base);
  g_string_append (s, "\n  ");
  append_escaped (s, "path", task->media);
  g_string_append_printf (s, "\n  <source><database>annolab</database></source>\n"
                             "  <size><width>%d</width><height>%d</height><depth>3</depth></size>\n"
                             "  <segmented>0</segmented>\n", task->width, task->height);
  json_array_foreach (json_object_get (item->result, "boxes"), b, box)
    {
      double x = json_number_value (json_object_get (box, "x"));
      double y = json_number_value (json_object_get (box, "y"));
      double w = json_number_value (json_object_get (box, "w"));
      double h = json_number_value (json_object_get (box, "h"));
      long xmin = CLAMP (lround (x) + 1, 1, task->width);
      long ymin = CLAMP (lround (y) + 1, 1, task->height);
      long xmax = CLAMP (lround (x + w), xmin, task->width);
      long ymax = CLAMP (lround (y + h), ymin, task->height);

      g_string_append (s, "  <object>\n    ");
      append_escaped (s, "name", json_string_value (json_object_get (box, "label")));
      g_string_append_printf (s, "\n    <pose>Unspecified</pose>\n    <truncated>0</truncated>\n"
                                 "    <difficult>0</difficult>\n"
                                 "    <bndbox><xmin>%ld</xmin><ymin>%ld</ymin>"
                                 "<xmax>%ld</xmax><ymax>%ld</ymax></bndbox>\n  </object>\n",
                              xmin, ymin, xmax, ymax);
    }
  g_string_append (s, "</annotation>\n");
  return g_string_free (s, FALSE);
}

gboolean
al_export_voc (AlExport   *export,
               const char *dir,
               GError    **error)
{
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < export->items->len; i++)
    {
      AlExportItem *item = export->items->pdata[i];
      g_autofree char *folder = NULL;
      g_autofree char *stem = NULL;
      g_autofree char *path = NULL;
      g_autofree char *xml = NULL;

      if (item->task->kind != AL_TASK_KIND_BBOX)
        continue;
      if (!al_export_image_size (item->task, error))
        return FALSE;
      folder = al_export_folder (dir, export->single, item->folder, error);
      if (folder == NULL)
        return FALSE;
      stem = al_export_media_stem (item->task);
      path = al_export_file_name (used, folder, stem, ".xml");
      xml = voc_xml (item);
      if (!al_export_write (path, xml, -1, error))
        return FALSE;
    }
  return TRUE;
}
