/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-pacing"

#include "config.h"

#include <string.h>
#include <time.h>

#include "al-pacing.h"

struct _AlPacing
{
  AlPlan plan;
  AlPlan next_plan;
  gboolean has_next_plan;
  AlClock clock;
  AlPaceFunc func;
  gpointer data;

  AlPaceState state;
  int block;
  gint64 deadline;         /* boot ms: end of the current block, break or grace */
  gboolean fired[AL_PLAN_MAX_WARNINGS];
  gboolean task_open;
  gint64 worked_ms;
  gint64 work_since;       /* boot ms, while working */
  int pauses;
};

static gint64
system_boot_ms (gpointer data)
{
  struct timespec ts;
  clock_gettime (CLOCK_BOOTTIME, &ts);
  return (gint64) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static gint64
system_wall_ms (gpointer data)
{
  return g_get_real_time () / 1000;
}

static const char *
system_boot_id (gpointer data)
{
  static char id[64];
  g_autofree char *text = NULL;

  if (id[0] == '\0' && g_file_get_contents ("/proc/sys/kernel/random/boot_id", &text, NULL, NULL))
    g_strlcpy (id, g_strstrip (text), sizeof id);
  return id;
}

const AlClock *
al_clock_system (void)
{
  static const AlClock clock = { system_boot_ms, system_wall_ms, system_boot_id, NULL };
  return &clock;
}

static gint64
now_boot (AlPacing *p)
{
  return p->clock.boot_ms (p->clock.data);
}

static gint64
now_wall (AlPacing *p)
{
  return p->clock.wall_ms (p->clock.data);
}

static void
emit (AlPacing   *p,
      AlPaceEvent event,
      gint64      value)
{
  if (p->func)
    p->func (event, value, p->data);
}

AlPacing *
al_pacing_new (const AlPlan  *plan,
               const AlClock *clock,
               AlPaceFunc     func,
               gpointer       user_data)
{
  AlPacing *p = g_new0 (AlPacing, 1);

  p->plan = *plan;
  p->clock = clock ? *clock : *al_clock_system ();
  p->func = func;
  p->data = user_data;
  return p;
}

void
al_pacing_free (AlPacing *pacing)
{
  g_free (pacing);
}

/* Room rhythm: where the room's clock stands at wall time @wall.
 * Returns the 1-based block, whether it is work time, and the wall time
 * of the next boundary. Block 0 means the room has not started yet. */
static void
room_position (AlPacing *p,
               gint64    wall,
               int      *block,
               gboolean *working,
               gint64   *boundary)
{
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_local (wall / 1000);
  g_autoptr (GDateTime) start = g_date_time_new_local (g_date_time_get_year (now),
                                                       g_date_time_get_month (now),
                                                       g_date_time_get_day_of_month (now),
                                                       p->plan.room_start_minute / 60,
                                                       p->plan.room_start_minute % 60, 0);
  gint64 start_ms = g_date_time_to_unix (start) * 1000;
  gint64 cycle = p->plan.work_ms + p->plan.break_ms;
  gint64 elapsed = wall - start_ms;
  gint64 k, r;

  if (elapsed < 0)
    {
      *block = 0;
      *working = FALSE;
      *boundary = start_ms;
      return;
    }
  k = elapsed / cycle;
  r = elapsed % cycle;
  *block = (int) k + 1;
  *working = r < p->plan.work_ms;
  *boundary = start_ms + k * cycle + (*working ? p->plan.work_ms : cycle);
}

/* Converts a wall-clock deadline to the boot clock, seen from boot time
 * @at_boot (when wall time was @at_wall). */
static gint64
wall_to_boot (gint64 wall_deadline,
              gint64 at_boot,
              gint64 at_wall)
{
  return at_boot + (wall_deadline - at_wall);
}

static void
stop_working (AlPacing *p,
              gint64    at)
{
  if (p->work_since >= 0)
    p->worked_ms += MAX (0, at - p->work_since);
  p->work_since = -1;
}

static void
start_block (AlPacing *p,
             gint64    at)
{
  if (p->has_next_plan)
    {
      AlPlan next = p->next_plan;
      next.n_warn = next.n_warn ? next.n_warn : p->plan.n_warn;
      p->plan = next;
      p->has_next_plan = FALSE;
    }
  p->block++;
  p->state = AL_PACE_WORKING;
  p->deadline = at + p->plan.work_ms;
  p->work_since = at;
  memset (p->fired, 0, sizeof p->fired);
  if (p->plan.room)
    {
      int block;
      gboolean working;
      gint64 boundary, wall = now_wall (p) - (now_boot (p) - at);
      room_position (p, wall, &block, &working, &boundary);
      if (working)
        {
          p->block = block;
          p->deadline = wall_to_boot (boundary, at, wall);
        }
    }
  emit (p, AL_PACE_EVENT_BLOCK_START, p->block);
}

static void
start_break (AlPacing *p,
             gint64    at)
{
  stop_working (p, at);
  p->state = AL_PACE_BREAK;
  p->deadline = at + p->plan.break_ms;
  if (p->plan.room)
    {
      int block;
      gboolean working;
      gint64 boundary, wall = now_wall (p) - (now_boot (p) - at);
      room_position (p, wall, &block, &working, &boundary);
      if (!working)
        p->deadline = wall_to_boot (boundary, at, wall);
    }
  emit (p, AL_PACE_EVENT_BREAK_START, p->deadline - at);
}

void
al_pacing_start (AlPacing *p)
{
  gint64 now = now_boot (p);

  g_return_if_fail (p->state == AL_PACE_NOT_STARTED);
  p->work_since = -1;
  emit (p, AL_PACE_EVENT_SESSION_START, 0);
  if (p->plan.room)
    {
      int block;
      gboolean working;
      gint64 boundary, wall = now_wall (p);
      room_position (p, wall, &block, &working, &boundary);
      if (block > p->plan.blocks || (block == p->plan.blocks && !working))
        {
          p->state = AL_PACE_ENDED;
          emit (p, AL_PACE_EVENT_SESSION_END, 0);
          return;
        }
      if (!working)
        {
          /* Before the room starts, or in the room's break: join its break. */
          p->block = block;
          p->state = AL_PACE_BREAK;
          p->deadline = wall_to_boot (boundary, now, wall);
          emit (p, AL_PACE_EVENT_BREAK_START, p->deadline - now);
          return;
        }
      p->block = block - 1;
    }
  start_block (p, now);
}

/* Every transition that is due is taken, in order, however long the gap
 * since the last tick (a suspended laptop, a slow timer). A warning whose
 * moment passed unnoticed together with its break is not given late. */
void
al_pacing_tick (AlPacing *p)
{
  gint64 now = now_boot (p);

  for (int guard = 0; guard < 1000; guard++)
    {
      switch (p->state)
        {
        case AL_PACE_WORKING:
        case AL_PACE_PAUSE:
          for (int i = 0; i < p->plan.n_warn; i++)
            {
              gint64 w = p->plan.warn_ms[i];
              if (p->fired[i] || w >= p->plan.work_ms || now < p->deadline - w)
                continue;
              p->fired[i] = TRUE;
              if (now < p->deadline)
                emit (p, AL_PACE_EVENT_WARNING, w);
            }
          if (now < p->deadline)
            return;
          if (p->state == AL_PACE_PAUSE)
            {
              p->state = AL_PACE_WORKING;
              emit (p, AL_PACE_EVENT_PAUSE_END, 0);
            }
          if (p->block >= p->plan.blocks)
            {
              stop_working (p, p->deadline);
              p->state = AL_PACE_ENDED;
              emit (p, AL_PACE_EVENT_SESSION_END, p->worked_ms);
              return;
            }
          if (p->plan.grace_ms > 0 && p->task_open)
            {
              p->state = AL_PACE_GRACE;
              p->deadline += p->plan.grace_ms;
              emit (p, AL_PACE_EVENT_GRACE_START, p->plan.grace_ms);
              continue;
            }
          start_break (p, p->deadline);
          continue;
        case AL_PACE_GRACE:
          if (now < p->deadline)
            return;
          start_break (p, p->deadline);
          continue;
        case AL_PACE_BREAK:
          if (now < p->deadline)
            return;
          emit (p, AL_PACE_EVENT_BREAK_END, 0);
          start_block (p, p->deadline);
          continue;
        case AL_PACE_NOT_STARTED:
        case AL_PACE_ENDED:
        default:
          return;
        }
    }
}

void
al_pacing_set_task_open (AlPacing *p,
                         gboolean  open)
{
  p->task_open = open;
}

void
al_pacing_task_finished (AlPacing *p)
{
  p->task_open = FALSE;
  if (p->state == AL_PACE_GRACE)
    start_break (p, now_boot (p));
}

gboolean
al_pacing_pause_start (AlPacing *p)
{
  gint64 now = now_boot (p);

  if (p->state != AL_PACE_WORKING)
    return FALSE;
  stop_working (p, now);
  p->state = AL_PACE_PAUSE;
  p->pauses++;
  emit (p, AL_PACE_EVENT_PAUSE_START, 0);
  return TRUE;
}

gboolean
al_pacing_pause_end (AlPacing *p)
{
  if (p->state != AL_PACE_PAUSE)
    return FALSE;
  p->state = AL_PACE_WORKING;
  p->work_since = now_boot (p);
  emit (p, AL_PACE_EVENT_PAUSE_END, 0);
  return TRUE;
}

/* Only the coach ends a break early; the participant cannot skip one. */
gboolean
al_pacing_end_break (AlPacing *p)
{
  if (p->state != AL_PACE_BREAK)
    return FALSE;
  p->deadline = now_boot (p);
  al_pacing_tick (p);
  return TRUE;
}

void
al_pacing_set_plan (AlPacing     *p,
                    const AlPlan *plan)
{
  p->next_plan = *plan;
  p->has_next_plan = TRUE;
}

AlPaceState
al_pacing_get_state (AlPacing *p)
{
  return p->state;
}

int
al_pacing_get_block (AlPacing *p)
{
  return p->block;
}

int
al_pacing_get_blocks (AlPacing *p)
{
  return p->plan.blocks;
}

gint64
al_pacing_get_ms_left (AlPacing *p)
{
  if (p->state == AL_PACE_NOT_STARTED || p->state == AL_PACE_ENDED)
    return 0;
  return MAX (0, p->deadline - now_boot (p));
}

gint64
al_pacing_get_worked_ms (AlPacing *p)
{
  gint64 now = now_boot (p);
  return p->worked_ms + (p->work_since >= 0 ? MAX (0, now - p->work_since) : 0);
}

int
al_pacing_get_pauses (AlPacing *p)
{
  return p->pauses;
}

const char *
al_pace_state_to_string (AlPaceState state)
{
  static const char *const names[] = { "not_started", "working", "grace", "break", "pause",
                                       "ended" };
  return names[state];
}

char *
al_pacing_save (AlPacing *p)
{
  g_autoptr (json_t) json = NULL;
  json_t *fired = json_array ();
  gint64 boot = now_boot (p), wall = now_wall (p);

  for (int i = 0; i < p->plan.n_warn; i++)
    json_array_append_new (fired, json_boolean (p->fired[i]));
  json = json_pack ("{s:i,s:s,s:i,s:o,s:I,s:I,s:s,s:o,s:I,s:I,s:i,s:b}", "version", 1, "state",
                    al_pace_state_to_string (p->state), "block", p->block, "plan",
                    al_plan_to_json (&p->plan), "deadline_wall",
                    (json_int_t) (wall + (p->deadline - boot)), "deadline_boot",
                    (json_int_t) p->deadline, "boot_id", p->clock.boot_id (p->clock.data),
                    "fired", fired, "worked_ms", (json_int_t) al_pacing_get_worked_ms (p),
                    "saved_wall", (json_int_t) wall, "pauses", p->pauses, "task_open",
                    p->task_open);
  return json_dumps (json, JSON_COMPACT);
}

gboolean
al_pacing_restore (AlPacing   *p,
                   const char *saved,
                   GError    **error)
{
  g_autoptr (json_t) json = json_loads (saved ? saved : "", 0, NULL);
  const char *state = json_string_value (json_object_get (json, "state"));
  const char *boot_id = json_string_value (json_object_get (json, "boot_id"));
  json_t *plan = json_object_get (json, "plan");
  json_t *fired = json_object_get (json, "fired");
  gint64 boot = now_boot (p), wall = now_wall (p);
  int s = -1;

  for (int i = 0; i <= AL_PACE_ENDED; i++)
    if (g_strcmp0 (state, al_pace_state_to_string (i)) == 0)
      s = i;
  if (json == NULL || s < 0 || !json_is_object (plan))
    {
      g_set_error (error, AL_PLAN_ERROR, AL_PLAN_ERROR_INVALID, "The saved session is unreadable");
      return FALSE;
    }
  p->plan.work_ms = json_integer_value (json_object_get (plan, "work_ms"));
  p->plan.break_ms = json_integer_value (json_object_get (plan, "break_ms"));
  p->plan.blocks = json_integer_value (json_object_get (plan, "blocks"));
  p->plan.grace_ms = json_integer_value (json_object_get (plan, "grace_ms"));
  p->plan.room = g_strcmp0 (json_string_value (json_object_get (plan, "rhythm")), "room") == 0;
  if (p->plan.work_ms <= 0 || p->plan.break_ms <= 0 || p->plan.blocks < 1)
    {
      g_set_error (error, AL_PLAN_ERROR, AL_PLAN_ERROR_INVALID, "The saved session is unreadable");
      return FALSE;
    }
  p->state = s;
  p->block = json_integer_value (json_object_get (json, "block"));
  /* The boot clock restarts with the machine; across a reboot the wall
   * clock is the only bridge. */
  if (g_strcmp0 (boot_id, p->clock.boot_id (p->clock.data)) == 0)
    p->deadline = json_integer_value (json_object_get (json, "deadline_boot"));
  else
    p->deadline = wall_to_boot (json_integer_value (json_object_get (json, "deadline_wall")), boot,
                                wall);
  for (int i = 0; i < p->plan.n_warn && i < (int) json_array_size (fired); i++)
    p->fired[i] = json_is_true (json_array_get (fired, i));
  p->worked_ms = json_integer_value (json_object_get (json, "worked_ms"));
  p->pauses = json_integer_value (json_object_get (json, "pauses"));
  p->task_open = json_is_true (json_object_get (json, "task_open"));
  /* Time while the workstation was down counts as work only up to now. */
  p->work_since = p->state == AL_PACE_WORKING || p->state == AL_PACE_GRACE ? boot : -1;
  al_pacing_tick (p);
  return TRUE;
}
