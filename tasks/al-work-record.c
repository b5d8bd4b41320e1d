/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-record"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "al-store.h"
#include "al-work-record.h"

#define RECORD_SCHEMA "https://annolab.nl/schema/work-record-1.json"

/* The plan's block length caps a stretch: the participant's own plan,
 * else the room's, else the longest block a plan may have. */
static gint64
block_cap_ms (AlStore      *store,
              const AlUser *user)
{
  json_t *plan = json_object_get (user->settings, "plan");
  json_t *minutes = json_object_get (plan, "work_minutes");
  g_autofree char *key = g_strdup_printf ("room:%s", user->group);
  g_autofree char *room_text = NULL;
  g_autoptr (json_t) room = NULL;

  if (!json_is_integer (minutes))
    {
      room_text = al_store_get_meta (store, key);
      room = room_text ? json_loads (room_text, 0, NULL) : NULL;
      minutes = json_object_get (room, "work_minutes");
    }
  if (json_is_integer (minutes) && json_integer_value (minutes) > 0)
    return MIN (json_integer_value (minutes), 240) * 60000;
  return 240 * 60000;
}

/* Times are the server's receive times, never the times a workstation
 * writes into an event: those can be anything. A stretch opens at
 * session_start, block_start, break_end or pause_end and closes at
 * break_start, pause_start or session_end. A stretch left open (the
 * workstation stopped, or started again without closing) ends at the last
 * event or result received in it. */
GArray *
al_work_spans (AlStore      *store,
               const AlUser *user,
               int          *breaks,
               int          *pauses,
               int          *sessions)
{
  g_autoptr (GPtrArray) moments = NULL;
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (AlWorkSpan));
  gint64 cap = block_cap_ms (store, user), since = -1, last = -1;
  int dummy;

  breaks = breaks ? breaks : &dummy;
  pauses = pauses ? pauses : &dummy;
  sessions = sessions ? sessions : &dummy;
  moments = al_store_list_moments (store, user->id);
  for (guint i = 0; i <= moments->len; i++)
    {
      gboolean more = i < moments->len;
      const char *type = "";
      gint64 at = 0;
      gboolean starts, stops;

      if (more)
        {
          AlStoreMoment *m = moments->pdata[i];
          type = m->type;
          at = m->at_ms;
        }
      starts = g_str_equal (type, "block_start") || g_str_equal (type, "break_end") ||
               g_str_equal (type, "pause_end") || g_str_equal (type, "session_start");
      stops = g_str_equal (type, "break_start") || g_str_equal (type, "pause_start") ||
              g_str_equal (type, "session_end");
      *breaks += g_str_equal (type, "break_start");
      *pauses += g_str_equal (type, "pause_start");
      *sessions += g_str_equal (type, "session_start");

      if (since >= 0 && (stops || starts || !more))
        {
          AlWorkSpan span = { since, stops ? at : last };
          span.end = MIN (span.end, span.start + cap);
          if (span.end > span.start)
            g_array_append_val (spans, span);
          since = -1;
        }
      if (starts)
        since = at;
      last = at;
    }
  return spans;
}

static gint64
working_ms (AlStore      *store,
            const AlUser *user,
            int          *breaks,
            int          *pauses,
            int          *sessions)
{
  g_autoptr (GArray) spans = al_work_spans (store, user, breaks, pauses, sessions);
  gint64 total = 0;

  for (guint i = 0; i < spans->len; i++)
    total += g_array_index (spans, AlWorkSpan, i).end - g_array_index (spans, AlWorkSpan, i).start;
  return total;
}

static char *
day_of (gint64 ms)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);
  return g_date_time_format (dt, "%Y-%m-%d");
}

static char *
week_of (gint64 ms)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);
  return g_date_time_format (dt, "%G-W%V");
}

/* How much of a result was the model's: the items (words, boxes) it
 * accepted as proposed, of all the items it ended with or turned down. */
static void
count_proposal (json_t *marks,
                gint64 *proposed,
                gint64 *items,
                gint64 *accepted)
{
  static const char *const counts[] = { "accepted", "changed", "added", "rejected" };

  if (!json_is_object (marks))
    return;
  (*proposed)++;
  *accepted += json_integer_value (json_object_get (marks, "accepted"));
  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    *items += json_integer_value (json_object_get (marks, counts[i]));
}

json_t *
al_work_record_build (AlStore      *store,
                      const AlUser *user,
                      GError      **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (json_t) record = json_object ();
  json_t *kinds = json_object ();
  json_t *weeks = json_array ();
  json_t *skills = json_array ();
  json_t *languages = json_object ();
  g_autofree char *current_week = NULL;
  gint64 first = 0, last = 0, lead_total = 0, n = 0;
  int breaks = 0, pauses = 0, sessions = 0;
  double week_sum = 0;
  int week_scored = 0, week_tasks = 0;
  gint64 worked;
  gint64 proposed = 0, items = 0, accepted = 0;

  g_return_val_if_fail (store != NULL && user != NULL, NULL);

  rows = al_store_list_result_rows (store, user->id, error);
  if (rows == NULL)
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      AlStoreResultRow *row = rows->pdata[i];
      const char *kind = row->kind;
      gint64 at = row->submitted_ms;
      g_autofree char *week = week_of (at);
      json_t *count = json_object_get (kinds, kind);
      json_t *value = json_object_get (row->score, "score");
      const char *lang = json_string_value (json_object_get (row->task, "language"));

      if (n == 0)
        first = at;
      last = at;
      n++;
      lead_total += row->task_ms;
      json_object_set_new (kinds, kind, json_integer (json_integer_value (count) + 1));
      count_proposal (json_object_get (row->result, "proposal"), &proposed, &items, &accepted);
      if (lang && g_str_equal (kind, "transcribe"))
        json_object_set_new (languages, lang,
                             json_integer (json_integer_value (json_object_get (languages, lang)) + 1));

      if (current_week && !g_str_equal (current_week, week))
        {
          json_array_append_new (weeks, json_pack ("{s:s,s:i,s:o}", "week", current_week, "tasks",
                                                   week_tasks, "quality",
                                                   week_scored ? json_real (round (week_sum / week_scored * 100) / 100)
                                                               : json_null ()));
          week_sum = 0;
          week_scored = week_tasks = 0;
        }
      g_free (current_week);
      current_week = g_strdup (week);
      week_tasks++;
      if (json_is_number (value))
        {
          week_sum += json_number_value (value);
          week_scored++;
        }
    }
  if (current_week)
    json_array_append_new (weeks, json_pack ("{s:s,s:i,s:o}", "week", current_week, "tasks",
                                             week_tasks, "quality",
                                             week_scored ? json_real (round (week_sum / week_scored * 100) / 100)
                                                         : json_null ()));
  worked = working_ms (store, user, &breaks, &pauses, &sessions);

  /* Without session events (an old local file), the time spent on the
   * tasks themselves is the honest lower bound. */
  if (worked == 0)
    worked = lead_total;

  if (json_integer_value (json_object_get (kinds, "bbox")) > 0)
    json_array_append_new (skills, json_pack ("{s:s,s:I}", "skill", "image-annotation-boxes",
                                              "tasks",
                                              json_integer_value (json_object_get (kinds, "bbox"))));
  if (json_integer_value (json_object_get (kinds, "classify")) > 0)
    json_array_append_new (skills, json_pack ("{s:s,s:I}", "skill", "data-classification",
                                              "tasks",
                                              json_integer_value (json_object_get (kinds,
                                                                                   "classify"))));
  if (json_integer_value (json_object_get (kinds, "subtitle-review")) > 0)
    json_array_append_new (skills, json_pack ("{s:s,s:I}", "skill", "subtitle-review", "tasks",
                                              json_integer_value (json_object_get (kinds,
                                                                                   "subtitle-review"))));
  if (json_integer_value (json_object_get (kinds, "video-boxes")) > 0)
    json_array_append_new (skills, json_pack ("{s:s,s:I}", "skill", "video-annotation-tracks",
                                              "tasks",
                                              json_integer_value (json_object_get (kinds,
                                                                                   "video-boxes"))));
  {
    const char *lang;
    json_t *count;
    json_object_foreach (languages, lang, count)
      {
        g_autofree char *skill = g_strdup_printf ("speech-transcription-%s", lang);
        json_array_append_new (skills, json_pack ("{s:s,s:I}", "skill", skill, "tasks",
                                                  json_integer_value (count)));
      }
  }
  json_decref (languages);
  if (n > 0)
    json_array_append_new (skills, json_pack ("{s:s,s:I}", "skill", "keyboard-operation", "tasks",
                                              n));

  json_object_set_new (record, "$schema", json_string (RECORD_SCHEMA));
  json_object_set_new (record, "participant", json_string (user->name));
  if (n > 0)
    {
      g_autofree char *from = day_of (first);
      g_autofree char *to = day_of (last);
      json_object_set_new (record, "period", json_pack ("{s:s,s:s}", "from", from, "to", to));
    }
  else
    json_object_set_new (record, "period", json_null ());
  json_object_set_new (record, "hours_worked", json_real (round (worked / 36000.0) / 100.0));
  json_object_set_new (record, "sessions", json_integer (sessions));
  json_object_set_new (record, "breaks", json_integer (breaks));
  json_object_set_new (record, "extra_pauses", json_integer (pauses));
  json_object_set_new (record, "tasks_total", json_integer (n));
  json_object_set_new (record, "tasks_by_kind", kinds);
  json_object_set_new (record, "quality_by_week", weeks);
  json_object_set_new (record, "skills", skills);
  /* Honest about help: how many results started from a model's proposal
   * and what share of their items were the model's, taken as proposed. */
  if (proposed > 0)
    json_object_set_new (record, "from_proposals",
                         json_pack ("{s:I,s:I,s:I,s:o}", "tasks", (json_int_t) proposed, "items",
                                    (json_int_t) items, "accepted", (json_int_t) accepted,
                                    "share_accepted",
                                    items ? json_real (round ((double) accepted / items * 100) / 100)
                                          : json_null ()));
  {
    g_autofree char *now = al_format_time_iso (al_store_now_ms (store));
    json_object_set_new (record, "exported_at", json_string (now));
  }
  return g_steal_pointer (&record);
}

static const char *
month_name (int month)
{
  static const char *const names[] = {
    N_ ("January"), N_ ("February"), N_ ("March"), N_ ("April"), N_ ("May"), N_ ("June"),
    N_ ("July"), N_ ("August"), N_ ("September"), N_ ("October"), N_ ("November"),
    N_ ("December"),
  };
  return month >= 1 && month <= 12 ? _ (names[month - 1]) : "";
}

static char *
words_of (GDateTime *dt,
          gboolean   with_year)
{
  if (with_year)
    /* TRANSLATORS: day, month name, year: "1 December 2026" */
    return g_strdup_printf (_ ("%d %s %d"), g_date_time_get_day_of_month (dt),
                            month_name (g_date_time_get_month (dt)), g_date_time_get_year (dt));
  /* TRANSLATORS: day and month name: "30 November" */
  return g_strdup_printf (_ ("%d %s"), g_date_time_get_day_of_month (dt),
                          month_name (g_date_time_get_month (dt)));
}

char *
al_work_record_date_in_words (const char *iso_day)
{
  int y = 0, m = 0, d = 0;
  g_autoptr (GDateTime) dt = NULL;

  if (iso_day == NULL || sscanf (iso_day, "%d-%d-%d", &y, &m, &d) != 3 ||
      (dt = g_date_time_new_utc (y, m, d, 0, 0, 0)) == NULL)
    return g_strdup (iso_day ? iso_day : "");
  return words_of (dt, TRUE);
}

char *
al_work_record_week_in_words (const char *iso_week)
{
  int y = 0, w = 0;
  g_autoptr (GDateTime) jan4 = NULL;
  g_autoptr (GDateTime) monday = NULL;
  g_autoptr (GDateTime) sunday = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (iso_week == NULL || sscanf (iso_week, "%d-W%d", &y, &w) != 2 || w < 1 || w > 53 ||
      (jan4 = g_date_time_new_utc (y, 1, 4, 0, 0, 0)) == NULL)
    return g_strdup (iso_week ? iso_week : "");
  /* ISO week 1 is the week with 4 January in it. */
  monday = g_date_time_add_days (jan4, (w - 1) * 7 - (g_date_time_get_day_of_week (jan4) - 1));
  sunday = g_date_time_add_days (monday, 6);
  from = words_of (monday, g_date_time_get_year (monday) != g_date_time_get_year (sunday));
  to = words_of (sunday, TRUE);
  /* TRANSLATORS: a week from its Monday to its Sunday */
  return g_strdup_printf (_ ("%s to %s"), from, to);
}

char *
al_work_record_to_json (json_t *record)
{
  char *dump = json_dumps (record, JSON_INDENT (2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION (10));
  char *text = g_strconcat (dump, "\n", NULL);

  free (dump);
  return text;
}

static char *
skill_name (const char *id)
{
  if (g_str_equal (id, "image-annotation-boxes"))
    return g_strdup (_("Marking objects in photos with boxes"));
  if (g_str_equal (id, "keyboard-operation"))
    return g_strdup (_("Working fully with the keyboard"));
  if (g_str_equal (id, "subtitle-review"))
    return g_strdup (_("Checking subtitles against the sound"));
  if (g_str_equal (id, "video-annotation-tracks"))
    return g_strdup (_("Following objects through a video with boxes"));
  if (g_str_has_prefix (id, "speech-transcription-"))
    {
      const char *lang = id + strlen ("speech-transcription-");
      const char *name = g_str_equal (lang, "nl") ? _("Dutch")
                         : g_str_equal (lang, "en") ? _("English") : lang;
      return g_strdup_printf (_("Typing out speech (%s)"), name);
    }
  return g_strdup (id);
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);
  g_string_append (out, escaped);
}

/* A plain page that prints well on one sheet: no scripts, no external
 * resources, readable without colour. */
char *
al_work_record_to_html (json_t *record)
{
  g_autoptr (GString) out = g_string_new (NULL);
  json_t *period = json_object_get (record, "period");
  json_t *kinds = json_object_get (record, "tasks_by_kind");
  json_t *weeks = json_object_get (record, "quality_by_week");
  json_t *skills = json_object_get (record, "skills");
  const char *kind;
  json_t *value;
  size_t i;

  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"");
  g_string_append (out, _("en"));
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
  append_escaped (out, _("Work record"));
  g_string_append (out, "</title>\n<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;"
                        "line-height:1.5;color:#111}table{border-collapse:collapse}"
                        "td,th{border:1px solid #444;padding:.3em .6em;text-align:left}"
                        "@media print{body{margin:0}}</style>\n</head>\n<body>\n<h1>");
  append_escaped (out, _("Work record"));
  g_string_append (out, ": ");
  append_escaped (out, json_string_value (json_object_get (record, "participant")));
  g_string_append (out, "</h1>\n<table>\n");

  g_string_append_printf (out, "<tr><th>%s</th><td>", _("Period"));
  if (json_is_object (period))
    {
      g_autofree char *from = al_work_record_date_in_words (json_string_value (json_object_get (period,
                                                                                        "from")));
      g_autofree char *to = al_work_record_date_in_words (json_string_value (json_object_get (period,
                                                                                      "to")));
      append_escaped (out, from);
      if (g_strcmp0 (from, to) != 0)
        {
          g_string_append (out, " – ");
          append_escaped (out, to);
        }
    }
  g_string_append (out, "</td></tr>\n");
  {
    /* Hours to one decimal, the way people say them. */
    g_autofree char *hours = g_strdup_printf ("%.1f", json_number_value (json_object_get (record,
                                                                               "hours_worked")));
    g_string_append_printf (out, "<tr><th>%s</th><td>%s</td></tr>\n", _("Hours worked"), hours);
  }
  g_string_append_printf (out, "<tr><th>%s</th><td>%" JSON_INTEGER_FORMAT "</td></tr>\n",
                          _("Tasks done"),
                          json_integer_value (json_object_get (record, "tasks_total")));
  json_object_foreach (kinds, kind, value)
    g_string_append_printf (out, "<tr><th>%s</th><td>%" JSON_INTEGER_FORMAT "</td></tr>\n",
                            g_str_equal (kind, "bbox")       ? _("Box tasks")
                            : g_str_equal (kind, "classify") ? _("Classification tasks")
                            : g_str_equal (kind, "subtitle-review") ? _("Subtitle reviews")
                            : g_str_equal (kind, "video-boxes") ? _("Video box tasks")
                                                             : _("Transcription tasks"),
                            json_integer_value (value));
  g_string_append_printf (out, "<tr><th>%s</th><td>%" JSON_INTEGER_FORMAT "</td></tr>\n",
                          _("Breaks taken"), json_integer_value (json_object_get (record, "breaks")));
  if (json_object_get (record, "from_proposals"))
    {
      json_t *fp = json_object_get (record, "from_proposals");
      /* TRANSLATORS: the number of tasks checked from a model's draft, and
       * the share of its words or boxes kept as the model proposed them. */
      g_autofree char *text = g_strdup_printf (_("%d tasks, %d%% kept as proposed"),
                                               (int) json_integer_value (json_object_get (fp, "tasks")),
                                               (int) round (100 * json_number_value (
                                                 json_object_get (fp, "share_accepted"))));
      g_string_append_printf (out, "<tr><th>%s</th><td>", _("Checked from a model's proposal"));
      append_escaped (out, text);
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</table>\n<h2>");
  append_escaped (out, _("Skills shown"));
  g_string_append (out, "</h2>\n<ul>\n");
  json_array_foreach (skills, i, value)
    {
      g_autofree char *name = skill_name (json_string_value (json_object_get (value, "skill")));
      g_string_append (out, "<li>");
      append_escaped (out, name);
      g_string_append_printf (out, " (%" JSON_INTEGER_FORMAT " %s)</li>\n",
                              json_integer_value (json_object_get (value, "tasks")), _("tasks"));
    }
  g_string_append (out, "</ul>\n<h2>");
  append_escaped (out, _("Quality by week"));
  g_string_append_printf (out, "</h2>\n<table>\n<tr><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                          _("Week"), _("Tasks"), _("Quality (0–100)"));
  json_array_foreach (weeks, i, value)
    {
      json_t *q = json_object_get (value, "quality");
      g_autofree char *week = al_work_record_week_in_words (json_string_value (json_object_get (value,
                                                                                      "week")));
      g_string_append (out, "<tr><td>");
      append_escaped (out, week);
      g_string_append_printf (out, "</td><td>%" JSON_INTEGER_FORMAT "</td><td>",
                              json_integer_value (json_object_get (value, "tasks")));
      if (json_is_number (q))
        g_string_append_printf (out, "%.0f", 100.0 * json_number_value (q));
      else
        g_string_append (out, "–");
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</table>\n<p>");
  append_escaped (out, _("This record belongs to the participant named above. It was made by "
                         "annolab from the work stored in the lab's task queue."));
  g_string_append (out, "</p>\n</body>\n</html>\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
