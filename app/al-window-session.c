/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-session"

#include "config.h"

#include <glib/gi18n.h>

#include "al-remote-queue.h"
#include "al-window-private.h"

#define TICK_MS 200
#define SAVE_EVERY_US (10 * G_USEC_PER_SEC)
#define SESSION_KEY "pacing"

static char *
clock_text (gint64 ms)
{
  gint64 s = (ms + 999) / 1000;
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d", s / 60, (int) (s % 60));
}

static char *
spoken_time (gint64 ms)
{
  gint64 s = (ms + 999) / 1000;

  if (s < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds", s), (int) s);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (s + 30) / 60),
                          (int) ((s + 30) / 60));
}

static json_t *
state_json (AlWindow *self)
{
  return json_pack ("{s:s,s:i,s:i,s:I}", "state",
                    al_pace_state_to_string (al_pacing_get_state (self->pacing)), "block",
                    al_pacing_get_block (self->pacing), "blocks",
                    al_pacing_get_blocks (self->pacing), "ms_left",
                    (json_int_t) al_pacing_get_ms_left (self->pacing));
}

static void
save (AlWindow *self)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  if (self->store == NULL || self->pacing == NULL)
    return;
  text = al_pacing_save (self->pacing);
  if (!al_store_set_session (self->store, SESSION_KEY, text, &error))
    g_warning ("Could not save the session: %s", error->message);
  self->saved_us = g_get_monotonic_time ();
}

static void
post (AlWindow   *self,
      const char *type)
{
  g_autoptr (json_t) data = state_json (self);
  al_queue_post_event (self->queue, type, data);
}

static void
update_clock (AlWindow *self)
{
  AlPaceState state = al_pacing_get_state (self->pacing);
  g_autofree char *left = clock_text (al_pacing_get_ms_left (self->pacing));
  g_autofree char *text = NULL;

  switch (state)
    {
    case AL_PACE_WORKING:
    case AL_PACE_GRACE:
    case AL_PACE_PAUSE:
      text = g_strdup_printf (_("Block %d of %d · %s left"), al_pacing_get_block (self->pacing),
                              al_pacing_get_blocks (self->pacing), left);
      break;
    case AL_PACE_BREAK:
      text = g_strdup_printf (_("Break · %s left"), left);
      break;
    case AL_PACE_ENDED:
      text = g_strdup (_("The session is over"));
      break;
    default:
      text = g_strdup ("");
    }
  gtk_label_set_text (self->clock_label, text);
  if (state == AL_PACE_BREAK || state == AL_PACE_PAUSE)
    al_break_view_set_remaining (self->break_view, al_pacing_get_ms_left (self->pacing));
  if (AL_IS_REMOTE_QUEUE (self->queue))
    {
      g_autoptr (json_t) s = state_json (self);
      al_remote_queue_set_state (AL_REMOTE_QUEUE (self->queue), s);
    }
}

static void
show_break (AlWindow       *self,
            AlBreakViewKind kind,
            const char     *title,
            const char     *body)
{
  /* Whatever was typed is on disk before the tasks go away. */
  if (self->task)
    al_window_save_draft_now (self);
  al_break_view_show (self->break_view, kind, title, body);
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->break_view));
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->break_view));
  al_window_show_notice (self, NULL, NULL);
  update_clock (self);
}

static char *
summary (AlWindow *self)
{
  gint64 minutes = al_pacing_get_worked_ms (self->pacing) / 60000;
  g_autofree char *worked = g_strdup_printf (_("%d h %02d min"), (int) (minutes / 60),
                                             (int) (minutes % 60));

  g_autofree char *unsent = al_window_unsent_text (self);
  g_autofree char *done = NULL;

  if (unsent)
    {
      done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "You worked %s today and did %d task. Well done.",
                                           "You worked %s today and did %d tasks. Well done.",
                                           self->tasks_done),
                              worked, self->tasks_done);
      return g_strjoin (" ", done, unsent, NULL);
    }
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "You worked %s today and did %d task. Well done: "
                                       "everything has been saved.",
                                       "You worked %s today and did %d tasks. Well done: "
                                       "everything has been saved.", self->tasks_done),
                          worked, self->tasks_done);
}

static void
on_pace (AlPaceEvent event,
         gint64      value,
         gpointer    data)
{
  AlWindow *self = data;
  g_autofree char *text = NULL;
  g_autofree char *when = NULL;

  switch (event)
    {
    case AL_PACE_EVENT_SESSION_START:
      post (self, "session_start");
      break;
    case AL_PACE_EVENT_BLOCK_START:
      post (self, "block_start");
      break;
    case AL_PACE_EVENT_WARNING:
      when = spoken_time (value);
      text = g_strdup_printf (_("The break starts in %s."), when);
      al_window_show_notice (self, NULL, text);
      al_window_announce (self, AL_SPEECH_IMPORTANT, text);
      break;
    case AL_PACE_EVENT_GRACE_START:
      when = spoken_time (value);
      text = g_strdup_printf (_("It is time for a break. Finish this task first: you have %s."),
                              when);
      al_window_show_notice (self, NULL, text);
      al_window_announce (self, AL_SPEECH_IMPORTANT, text);
      break;
    case AL_PACE_EVENT_BREAK_START:
      when = spoken_time (value);
      text = g_strdup_printf (_("Break for %s. Your work has been saved."), when);
      show_break (self, AL_BREAK_VIEW_BREAK, _("Break"), NULL);
      al_window_announce (self, AL_SPEECH_IMPORTANT, text);
      post (self, "break_start");
      break;
    case AL_PACE_EVENT_BREAK_END:
      post (self, "break_end");
      al_window_show_task_page (self);
      text = self->task ? g_strdup_printf (_("The break is over. You can go on with task %d."),
                                           self->task->number_today)
                        : g_strdup (_("The break is over."));
      al_window_show_notice (self, "good", text);
      al_window_announce (self, AL_SPEECH_IMPORTANT, text);
      break;
    case AL_PACE_EVENT_PAUSE_START:
      show_break (self, AL_BREAK_VIEW_PAUSE, _("Short pause"), NULL);
      {
        g_autofree char *keys = al_window_keys_of (self, "win.pause");
        g_autofree char *said = g_strdup_printf (_("Short pause. Press %s when you want to go on."),
                                                 keys);
        al_window_announce (self, AL_SPEECH_IMPORTANT, said);
      }
      post (self, "pause_start");
      break;
    case AL_PACE_EVENT_PAUSE_END:
      post (self, "pause_end");
      if (al_pacing_get_state (self->pacing) == AL_PACE_WORKING)
        {
          al_window_show_task_page (self);
          al_window_announce (self, AL_SPEECH_IMPORTANT, _("Back to work."));
        }
      break;
    case AL_PACE_EVENT_SESSION_END:
      text = summary (self);
      show_break (self, AL_BREAK_VIEW_ENDED, _("The session is over"), text);
      al_window_announce (self, AL_SPEECH_IMPORTANT, text);
      post (self, "session_end");
      break;
    default:
      g_assert_not_reached ();
    }
  update_clock (self);
  save (self);
}

static gboolean
tick (gpointer data)
{
  AlWindow *self = data;

  al_pacing_tick (self->pacing);
  update_clock (self);
  if (g_get_monotonic_time () - self->saved_us >= SAVE_EVERY_US)
    save (self);
  if (al_pacing_get_state (self->pacing) == AL_PACE_ENDED)
    {
      self->tick_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
plan_from_options (AlWindow *self,
                   AlPlan   *plan,
                   GError  **error)
{
  const AlOptions *o = al_application_get_options (self->app);

  al_plan_init_default (plan);
  if (o->plan && !al_plan_parse (o->plan, plan, error))
    return FALSE;
  if (o->warn && !al_plan_parse_warnings (o->warn, plan, error))
    return FALSE;
  if (o->grace && !al_duration_parse (o->grace, &plan->grace_ms, error))
    return FALSE;
  return TRUE;
}

/* A session saved today goes on where it was; otherwise a new day starts. */
static gboolean
restore (AlWindow *self)
{
  g_autofree char *saved = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) then = NULL;
  gint64 updated = 0;

  if (self->store == NULL || al_application_get_options (self->app)->plan)
    return FALSE;
  saved = al_store_get_session (self->store, SESSION_KEY, &updated);
  if (saved == NULL)
    return FALSE;
  then = g_date_time_new_from_unix_local (updated / 1000);
  if (g_date_time_get_day_of_year (then) != g_date_time_get_day_of_year (now) ||
      g_date_time_get_year (then) != g_date_time_get_year (now))
    return FALSE;
  return al_pacing_restore (self->pacing, saved, NULL) &&
         al_pacing_get_state (self->pacing) != AL_PACE_ENDED;
}

/* The day at a glance, before the first task: how long, and when the
 * first break comes, on the clock. */
static void
say_plan (AlWindow     *self,
          const AlPlan *plan)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) at = g_date_time_add (now, al_pacing_get_ms_left (self->pacing) * 1000);
  g_autofree char *clock = g_date_time_format (at, "%H:%M");
  int blocks = al_pacing_get_blocks (self->pacing);
  int minutes = (int) ((plan->work_ms + 30000) / 60000);
  g_autofree char *day = NULL;
  g_autofree char *text = NULL;

  if (al_pacing_get_state (self->pacing) != AL_PACE_WORKING)
    return;
  day = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d block of %d minutes",
                                      "%d blocks of %d minutes", blocks), blocks, minutes);
  if (blocks > 1)
    text = g_strdup_printf (al_window_experienced (self)
                              ? _("%s, break at %s.")
                              : _("Today: %s. The first break is at %s."),
                            day, clock);
  else
    text = g_strdup_printf (al_window_experienced (self) ? _("%s, until %s.")
                                                         : _("Today: %s. The session ends at %s."),
                            day, clock);
  al_window_announce (self, AL_SPEECH_QUEUE, text);
}

void
al_window_session_start (AlWindow *self)
{
  g_autoptr (GError) error = NULL;
  AlPlan plan;

  if (!plan_from_options (self, &plan, &error))
    {
      g_warning ("%s; using the standard plan", error->message);
      al_plan_init_default (&plan);
    }
  self->pacing = al_pacing_new (&plan, NULL, on_pace, self);
  if (restore (self))
    {
      AlPaceState state = al_pacing_get_state (self->pacing);
      if (state == AL_PACE_BREAK)
        show_break (self, AL_BREAK_VIEW_BREAK, _("Break"), NULL);
      else if (state == AL_PACE_PAUSE)
        show_break (self, AL_BREAK_VIEW_PAUSE, _("Short pause"), NULL);
      else
        {
          /* Back the same day: where the day stands, instead of its plan. */
          g_autofree char *where = al_window_session_describe (self);
          al_window_announce (self, AL_SPEECH_QUEUE, where);
        }
    }
  else
    {
      al_pacing_start (self->pacing);
      say_plan (self, &plan);
    }
  update_clock (self);
  save (self);
  self->tick_source = g_timeout_add (TICK_MS, tick, self);
}

void
al_window_session_stop (AlWindow *self)
{
  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->pacing)
    save (self);
  g_clear_pointer (&self->pacing, al_pacing_free);
}

gboolean
al_window_session_open (AlWindow *self)
{
  AlPaceState state;

  if (self->pacing == NULL)
    return TRUE;
  state = al_pacing_get_state (self->pacing);
  return state == AL_PACE_WORKING || state == AL_PACE_GRACE;
}

void
al_window_session_task_shown (AlWindow *self)
{
  if (self->pacing)
    al_pacing_set_task_open (self->pacing, TRUE);
}

/* Returns whether the next task should come now (not during a break). */
gboolean
al_window_session_task_done (AlWindow *self)
{
  if (self->pacing == NULL)
    return TRUE;
  al_pacing_task_finished (self->pacing);
  update_clock (self);
  return al_window_session_open (self);
}

char *
al_window_session_describe (AlWindow *self)
{
  g_autofree char *left = NULL;

  if (self->pacing == NULL)
    return g_strdup ("");
  left = spoken_time (al_pacing_get_ms_left (self->pacing));
  switch (al_pacing_get_state (self->pacing))
    {
    case AL_PACE_BREAK:
    case AL_PACE_PAUSE:
      return g_strdup_printf (_("Break: %s left."), left);
    case AL_PACE_ENDED:
      return g_strdup (_("The session is over."));
    default:
      return g_strdup_printf (_("Block %d of %d, %s until the break."),
                              al_pacing_get_block (self->pacing),
                              al_pacing_get_blocks (self->pacing), left);
    }
}

void
al_window_session_notice (AlWindow *self,
                          json_t   *notice)
{
  const char *type = json_string_value (json_object_get (notice, "type"));
  json_t *plan_json = json_object_get (json_object_get (notice, "settings"), "plan");

  if (self->pacing == NULL)
    return;
  if (g_strcmp0 (type, "end_break") == 0 && al_pacing_end_break (self->pacing))
    return;
  if (g_strcmp0 (type, "settings") == 0)
    {
      const char *verbosity = json_string_value (json_object_get (json_object_get (notice,
                                                                                   "settings"),
                                                                  "verbosity"));
      AlVerbosity level;
      if (al_verbosity_from_string (verbosity, &level))
        al_window_set_verbosity (self, level);
    }
  if (g_strcmp0 (type, "settings") == 0 && plan_json)
    {
      AlPlan plan;
      plan_from_options (self, &plan, NULL);
      if (al_plan_from_json (plan_json, &plan, NULL))
        {
          al_pacing_set_plan (self->pacing, &plan);
          al_window_announce (self, AL_SPEECH_QUEUE,
                              _("Your coach changed your plan; it starts with the next block."));
        }
    }
}

void
al_window_session_toggle_pause (AlWindow *self)
{
  if (self->pacing == NULL)
    return;
  if (al_pacing_get_state (self->pacing) == AL_PACE_PAUSE)
    {
      /* The same guard as the break screen: a key typed just as the pause
       * began does not end it. */
      if (al_break_view_accepts_keys (self->break_view))
        al_pacing_pause_end (self->pacing);
      else
        al_window_announce (self, AL_SPEECH_INTERRUPT,
                            _("The pause has just begun. Press Ctrl+P again in a moment to go "
                              "on."));
    }
  else if (!al_pacing_pause_start (self->pacing))
    al_window_announce (self, AL_SPEECH_INTERRUPT,
                        _("A short pause can only start while you work."));
}

/* The participant quits (Ctrl+Q): the coach sees "went home", not a
 * workstation that went quiet. Not twice when the plan had ended already. */
void
al_window_session_quit (AlWindow *self)
{
  g_autoptr (json_t) data = NULL;

  if (self->pacing == NULL || al_pacing_get_state (self->pacing) == AL_PACE_ENDED)
    return;
  data = state_json (self);
  json_object_set_new (data, "reason", json_string ("quit"));
  al_queue_post_event (self->queue, "session_end", data);
}
