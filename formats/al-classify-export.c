/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <string.h>

#include "al-classify.h"
#include "al-export.h"
#include "al-format-private.h"

/* Classification tasks that offer the same choices in the same way are
 * judged together: Dawid-Skene needs many tasks per person to learn how
 * far to trust each. One answer: the classes are the choices; several:
 * each choice is a yes or no of its own. */
static char *
choice_group (const AlTask *task)
{
  g_autofree char *joined = g_strjoinv ("\x1f", task->choices);
  return g_strdup_printf ("%d\x1e%s", task->multiple, joined);
}

void
al_export_classify_consensus (AlExport  *export,
                              GPtrArray *answers,
                              GPtrArray *consensus)
{
  g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_array_unref);
  GHashTableIter iter;
  gpointer key, value;

  for (guint t = 0; t < export->tasks->len; t++)
    {
      AlTask *task = export->tasks->pdata[t];
      char *group;
      GArray *members;
      if (task->kind != AL_TASK_KIND_CLASSIFY || consensus->pdata[t] == NULL)
        continue;
      group = choice_group (task);
      members = g_hash_table_lookup (groups, group);
      if (members == NULL)
        {
          members = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (groups, group, members);
        }
      else
        g_free (group);
      g_array_append_val (members, t);
    }

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GArray *members = value;
      AlTask *first = export->tasks->pdata[g_array_index (members, guint, 0)];
      guint n_choices = g_strv_length (first->choices);
      guint rounds = first->multiple ? n_choices : 1;
      g_autoptr (GHashTable) workers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                              NULL);
      g_autoptr (GPtrArray) names = g_ptr_array_new ();
      g_autoptr (GArray) labels = g_array_new (FALSE, FALSE, sizeof (AlClassLabel));
      g_autofree double *right = NULL;
      g_autofree guint *counted = NULL;

      /* Workers are numbered in the order they first answer. */
      for (guint m = 0; m < members->len; m++)
        {
          GPtrArray *list = answers->pdata[g_array_index (members, guint, m)];
          for (guint i = 0; i < list->len; i++)
            {
              AlExportAnswer *a = list->pdata[i];
              if (!g_hash_table_contains (workers, &a->user_id))
                {
                  g_hash_table_insert (workers, g_memdup2 (&a->user_id, sizeof a->user_id),
                                       GUINT_TO_POINTER (names->len));
                  g_ptr_array_add (names, a->name);
                }
            }
        }
      right = g_new0 (double, names->len);
      counted = g_new0 (guint, names->len);
      for (guint r = 0; r < rounds; r++)
        {
          g_autoptr (AlDawidSkene) ds = NULL;
          g_array_set_size (labels, 0);
          for (guint m = 0; m < members->len; m++)
            {
              guint t = g_array_index (members, guint, m);
              AlTask *task = export->tasks->pdata[t];
              GPtrArray *list = answers->pdata[t];
              for (guint i = 0; i < list->len; i++)
                {
                  AlExportAnswer *a = list->pdata[i];
                  json_t *chosen = json_object_get (a->result, "choices");
                  AlClassLabel l = { m, GPOINTER_TO_UINT (g_hash_table_lookup (workers,
                                                                               &a->user_id)), 0 };
                  gboolean found = FALSE;
                  for (guint k = 0; k < n_choices; k++)
                    {
                      gboolean on = FALSE;
                      size_t j;
                      json_t *c;
                      json_array_foreach (chosen, j, c)
                        on |= g_strcmp0 (json_string_value (c), task->choices[k]) == 0;
                      if (first->multiple && k == r)
                        {
                          l.label = on ? 1 : 0;
                          found = TRUE;
                        }
                      else if (!first->multiple && on && !found)
                        {
                          l.label = k;
                          found = TRUE;
                        }
                    }
                  if (found)
                    g_array_append_val (labels, l);
                }
            }
          ds = al_dawid_skene ((AlClassLabel *) (void *) labels->data, labels->len, members->len,
                               names->len, first->multiple ? 2 : n_choices, 0,
                               AL_DAWID_SKENE_SMOOTHING);
          for (guint w = 0; w < names->len; w++)
            if (ds->accuracy[w] >= 0)
              {
                right[w] += ds->accuracy[w];
                counted[w]++;
              }
          for (guint m = 0; m < members->len; m++)
            {
              AlExportItem *item = consensus->pdata[g_array_index (members, guint, m)];
              json_t *chosen = json_object_get (item->result, "choices");
              guint K = ds->n_classes;
              double p;
              if (r == 0)
                {
                  json_t *majority = json_deep_copy (chosen);
                  json_array_clear (chosen);
                  json_object_set_new (item->extra, "majority", majority);
                  json_object_set_new (item->extra, "confidence", json_real (1.0));
                }
              if (first->multiple && ds->best[m] == 1)
                json_array_append_new (chosen, json_string (first->choices[r]));
              else if (!first->multiple)
                json_array_append_new (chosen, json_string (first->choices[ds->best[m]]));
              /* How sure the whole answer is: the product over its parts. */
              p = ds->posterior[m * K + ds->best[m]];
              json_object_set_new (item->extra, "confidence",
                                   json_real (json_real_value (json_object_get (item->extra,
                                                                                "confidence")) * p));
            }
        }
      for (guint m = 0; m < members->len; m++)
        {
          guint t = g_array_index (members, guint, m);
          AlExportItem *item = consensus->pdata[t];
          GPtrArray *list = answers->pdata[t];
          json_t *acc = json_object ();
          for (guint i = 0; i < list->len; i++)
            {
              AlExportAnswer *a = list->pdata[i];
              guint w = GPOINTER_TO_UINT (g_hash_table_lookup (workers, &a->user_id));
              if (counted[w])
                json_object_set_new (acc, a->name, json_real (right[w] / counted[w]));
            }
          json_object_set_new (item->extra, "annotator_accuracy", acc);
          json_object_set_new (item->extra, "method", json_string ("dawid-skene"));
        }
    }
}

/* RFC 4180: a field with a comma, quote or line break is quoted. */
static void
csv_field (GString    *line,
           const char *text,
           gboolean    last)
{
  if (text && strpbrk (text, ",\"\r\n"))
    {
      g_string_append_c (line, '"');
      for (const char *p = text; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (line, '"');
          g_string_append_c (line, *p);
        }
      g_string_append_c (line, '"');
    }
  else if (text)
    g_string_append (line, text);
  g_string_append (line, last ? "\r\n" : ",");
}

static char *
joined_choices (json_t *list)
{
  GString *s = g_string_new (NULL);
  size_t i;
  json_t *c;

  json_array_foreach (list, i, c)
    g_string_append_printf (s, "%s%s", s->len ? "|" : "", json_string_value (c));
  return g_string_free (s, FALSE);
}

gboolean
al_export_csv (AlExport *export,
               FILE     *out,
               GError  **error)
{
  g_autoptr (GString) line = g_string_new (NULL);

  g_string_append (line, export->consensus
                           ? "task_id,media,participant,choices,annotators,majority,confidence\r\n"
                           : "task_id,media,participant,choices\r\n");
  for (guint i = 0; i < export->items->len; i++)
    {
      AlExportItem *item = export->items->pdata[i];
      g_autofree char *choices = NULL;

      if (item->task->kind != AL_TASK_KIND_CLASSIFY)
        continue;
      choices = joined_choices (json_object_get (item->result, "choices"));
      csv_field (line, item->task->id, FALSE);
      csv_field (line, item->task->media, FALSE);
      csv_field (line, item->annotator, FALSE);
      csv_field (line, choices, !export->consensus);
      if (export->consensus)
        {
          g_autofree char *n = g_strdup_printf ("%u", item->n_annotators);
          g_autofree char *majority = joined_choices (json_object_get (item->extra, "majority"));
          char confidence[G_ASCII_DTOSTR_BUF_SIZE];
          g_ascii_formatd (confidence, sizeof confidence, "%.3f",
                           json_number_value (json_object_get (item->extra, "confidence")));
          csv_field (line, n, FALSE);
          csv_field (line, majority, FALSE);
          csv_field (line, confidence, TRUE);
        }
    }
  if (fwrite (line->str, 1, line->len, out) != line->len)
    return al_format_fail (error, AL_FORMAT_ERROR_IO, "Cannot write the export");
  return TRUE;
}

