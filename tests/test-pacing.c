/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "al-pacing.h"

#define MIN_MS (60 * 1000)

typedef struct
{
  gint64 boot, wall;
  const char *boot_id;
  GArray *log;  /* Entry */
} Fake;

typedef struct
{
  AlPaceEvent event;
  gint64 value;
  gint64 at;
} Entry;

static gint64 fake_boot (gpointer d) { return ((Fake *) d)->boot; }
static gint64 fake_wall (gpointer d) { return ((Fake *) d)->wall; }
static const char *fake_id (gpointer d) { return ((Fake *) d)->boot_id; }

static void
record (AlPaceEvent event,
        gint64      value,
        gpointer    data)
{
  Fake *f = data;
  Entry e = { event, value, f->boot };
  g_array_append_val (f->log, e);
}

static AlPacing *
make (Fake       *f,
      const char *plan_text,
      const char *warn,
      const char *grace)
{
  AlPlan plan;
  AlClock clock = { fake_boot, fake_wall, fake_id, f };
  g_autoptr (GError) error = NULL;

  al_plan_init_default (&plan);
  if (plan_text)
    g_assert_true (al_plan_parse (plan_text, &plan, &error));
  if (warn)
    g_assert_true (al_plan_parse_warnings (warn, &plan, &error));
  if (grace)
    g_assert_true (al_duration_parse (grace, &plan.grace_ms, &error));
  g_assert_no_error (error);
  f->log = g_array_new (FALSE, FALSE, sizeof (Entry));
  if (f->boot_id == NULL)
    f->boot_id = "boot-1";
  /* 2026-11-23 09:00 local time, a Monday. */
  if (f->wall == 0)
    {
      g_autoptr (GDateTime) t = g_date_time_new_local (2026, 11, 23, 9, 0, 0);
      f->wall = g_date_time_to_unix (t) * 1000;
    }
  return al_pacing_new (&plan, &clock, record, f);
}

/* Moves both clocks on in steps of @step, ticking each time. */
static void
run (Fake     *f,
     AlPacing *p,
     gint64    ms,
     gint64    step)
{
  for (gint64 t = 0; t < ms; t += step)
    {
      f->boot += step;
      f->wall += step;
      al_pacing_tick (p);
    }
}

static int
count (Fake       *f,
       AlPaceEvent event)
{
  int n = 0;
  for (guint i = 0; i < f->log->len; i++)
    n += g_array_index (f->log, Entry, i).event == event;
  return n;
}

static gint64
nth_at (Fake       *f,
        AlPaceEvent event,
        int         nth)
{
  for (guint i = 0; i < f->log->len; i++)
    {
      Entry *e = &g_array_index (f->log, Entry, i);
      if (e->event == event && nth-- == 0)
        return e->at;
    }
  return -1;
}

static void
fake_clear (Fake *f)
{
  g_array_unref (f->log);
}

static void
test_parse (void)
{
  AlPlan plan;
  gint64 ms;
  g_autoptr (GError) error = NULL;

  al_plan_init_default (&plan);
  g_assert_true (al_plan_parse ("45m/15mx4", &plan, NULL));
  g_assert_cmpint (plan.work_ms, ==, 45 * MIN_MS);
  g_assert_cmpint (plan.break_ms, ==, 15 * MIN_MS);
  g_assert_cmpint (plan.blocks, ==, 4);
  g_assert_true (al_plan_parse ("6s/4sx2", &plan, NULL));
  g_assert_cmpint (plan.work_ms, ==, 6000);
  g_assert_cmpint (plan.blocks, ==, 2);
  g_assert_true (al_plan_parse ("30m/10m", &plan, NULL));
  g_assert_cmpint (plan.blocks, ==, 4);
  g_assert_true (al_duration_parse ("1m30s", &ms, NULL));
  g_assert_cmpint (ms, ==, 90000);
  g_assert_true (al_plan_parse_warnings ("1m,5m", &plan, NULL));
  g_assert_cmpint (plan.warn_ms[0], ==, 5 * MIN_MS);

  for (const char *bad[] = { "45m", "45x/15m", "0m/15m", "45m/15mx0", "45m/15mx99", "", NULL },
       **b = bad; *b; b++)
    {
      g_assert_false (al_plan_parse (*b, &plan, &error));
      g_assert_error (error, AL_PLAN_ERROR, AL_PLAN_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_false (al_plan_parse_warnings ("5m,soon", &plan, &error));
  g_assert_nonnull (strstr (error->message, "soon"));
}

/* A plan from the server: inside the rhythm limits and with a start as
 * HH:MM, or refused whole, the current plan kept. */
static void
test_plan_from_json (void)
{
  static const char *const bad[] = {
    "{\"work_minutes\":0}",
    "{\"work_minutes\":241}",
    "{\"break_minutes\":121}",
    "{\"blocks\":13}",
    "{\"work_minutes\":\"45\"}",
    "{\"work_minutes\":30,\"room_start\":\"9:00\"}",
    "{\"work_minutes\":30,\"room_start\":\"24:00\"}",
    "{\"work_minutes\":30,\"room_start\":9}",
    "[]",
  };
  AlPlan plan;

  al_plan_init_default (&plan);
  {
    g_autoptr (json_t) json = json_loads ("{\"work_minutes\":240,\"break_minutes\":10,"
                                          "\"blocks\":12,\"rhythm\":\"room\","
                                          "\"room_start\":\"08:15\"}", 0, NULL);
    g_assert_true (al_plan_from_json (json, &plan, NULL));
  }
  g_assert_cmpint (plan.work_ms, ==, 240 * 60000);
  g_assert_cmpint (plan.break_ms, ==, 10 * 60000);
  g_assert_cmpint (plan.blocks, ==, 12);
  g_assert_true (plan.room);
  g_assert_cmpint (plan.room_start_minute, ==, 8 * 60 + 15);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (json_t) json = json_loads (bad[i], 0, NULL);
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_false (al_plan_from_json (json, &plan, &error));
      g_assert_error (error, AL_PLAN_ERROR, AL_PLAN_ERROR_INVALID);
      g_assert_cmpint (plan.work_ms, ==, 240 * 60000);
      g_assert_cmpint (plan.room_start_minute, ==, 8 * 60 + 15);
    }
}

static void
test_full_day (void)
{
  Fake f = { 0 };
  g_autoptr (AlPacing) p = make (&f, NULL, NULL, "0s");

  al_pacing_start (p);
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_WORKING);
  run (&f, p, 5 * 60 * MIN_MS, 1000);
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_ENDED);
  g_assert_cmpint (count (&f, AL_PACE_EVENT_BLOCK_START), ==, 4);
  g_assert_cmpint (count (&f, AL_PACE_EVENT_BREAK_START), ==, 3);
  g_assert_cmpint (count (&f, AL_PACE_EVENT_WARNING), ==, 8);
  for (int b = 0; b < 4; b++)
    {
      gint64 block_start = b * 60 * MIN_MS;
      g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_WARNING, 2 * b), ==, block_start + 40 * MIN_MS);
      g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_WARNING, 2 * b + 1), ==, block_start + 44 * MIN_MS);
      if (b < 3)
        g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_BREAK_START, b), ==, block_start + 45 * MIN_MS);
    }
  /* The session ends after the last block: no break after it. */
  g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_SESSION_END, 0), ==, 225 * MIN_MS);
  g_assert_cmpint (al_pacing_get_worked_ms (p), ==, 180 * MIN_MS);
  fake_clear (&f);
}

static void
test_short_plan (void)
{
  Fake f = { 0 };
  g_autoptr (AlPacing) p = make (&f, "6s/4sx2", "2s", "0s");

  al_pacing_start (p);
  run (&f, p, 20000, 50);
  g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_WARNING, 0), ==, 4000);
  g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_BREAK_START, 0), ==, 6000);
  g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_BREAK_END, 0), ==, 10000);
  g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_WARNING, 1), ==, 14000);
  g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_SESSION_END, 0), ==, 16000);
  fake_clear (&f);
}

static void
test_warning_longer_than_block_skipped (void)
{
  Fake f = { 0 };
  g_autoptr (AlPacing) p = make (&f, "3m/1mx1", "5m,1m", "0s");

  al_pacing_start (p);
  run (&f, p, 4 * MIN_MS, 1000);
  g_assert_cmpint (count (&f, AL_PACE_EVENT_WARNING), ==, 1);
  g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_WARNING, 0), ==, 2 * MIN_MS);
  fake_clear (&f);
}

static void
test_grace (void)
{
  Fake f = { 0 };
  g_autoptr (AlPacing) p = make (&f, "10m/5mx2", "1m", "2m");

  al_pacing_start (p);
  al_pacing_set_task_open (p, TRUE);
  run (&f, p, 10 * MIN_MS, 1000);
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_GRACE);
  g_assert_cmpint (count (&f, AL_PACE_EVENT_BREAK_START), ==, 0);
  /* Finishing the task starts the break at once. */
  run (&f, p, 30000, 1000);
  al_pacing_task_finished (p);
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_BREAK);
  g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_BREAK_START, 0), ==, 10 * MIN_MS + 30000);
  g_assert_cmpint (al_pacing_get_ms_left (p), ==, 5 * MIN_MS);
  /* Next block: the grace runs out on its own after 2 minutes. */
  run (&f, p, 5 * MIN_MS, 1000);
  al_pacing_set_task_open (p, TRUE);
  run (&f, p, 13 * MIN_MS, 1000);
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_ENDED);
  fake_clear (&f);

  {
    Fake g = { 0 };
    g_autoptr (AlPacing) q = make (&g, "10m/5mx2", "1m", "2m");
    al_pacing_start (q);
    al_pacing_set_task_open (q, TRUE);
    run (&g, q, 13 * MIN_MS, 1000);
    g_assert_cmpint (nth_at (&g, AL_PACE_EVENT_BREAK_START, 0), ==, 12 * MIN_MS);
    fake_clear (&g);
  }
}

static void
test_extra_pause (void)
{
  Fake f = { 0 };
  g_autoptr (AlPacing) p = make (&f, "45m/15mx4", NULL, "0s");

  al_pacing_start (p);
  run (&f, p, 10 * MIN_MS, 1000);
  g_assert_true (al_pacing_pause_start (p));
  g_assert_false (al_pacing_pause_start (p));
  run (&f, p, 3 * MIN_MS, 1000);
  g_assert_true (al_pacing_pause_end (p));
  g_assert_cmpint (al_pacing_get_pauses (p), ==, 1);
  /* The block runs on the wall clock through the pause. */
  g_assert_cmpint (al_pacing_get_ms_left (p), ==, 32 * MIN_MS);
  g_assert_cmpint (al_pacing_get_worked_ms (p), ==, 10 * MIN_MS);
  /* A pause still open when the break comes simply becomes the break. */
  run (&f, p, 31 * MIN_MS, 1000);
  g_assert_true (al_pacing_pause_start (p));
  run (&f, p, 2 * MIN_MS, 1000);
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_BREAK);
  g_assert_cmpint (al_pacing_get_pauses (p), ==, 2);
  g_assert_false (al_pacing_pause_start (p));
  fake_clear (&f);
}

static void
test_restart_during_break (void)
{
  Fake f = { 0 };
  g_autoptr (AlPacing) p = make (&f, "45m/15mx4", NULL, "0s");
  g_autoptr (AlPacing) q = NULL;
  g_autofree char *saved = NULL;

  al_pacing_start (p);
  run (&f, p, 50 * MIN_MS, 1000);
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_BREAK);
  saved = al_pacing_save (p);
  fake_clear (&f);

  /* Two minutes later the workstation starts again, same boot. */
  f.boot += 2 * MIN_MS;
  f.wall += 2 * MIN_MS;
  q = make (&f, NULL, NULL, NULL);
  g_assert_true (al_pacing_restore (q, saved, NULL));
  g_assert_cmpint (al_pacing_get_state (q), ==, AL_PACE_BREAK);
  g_assert_cmpint (al_pacing_get_block (q), ==, 1);
  g_assert_cmpint (al_pacing_get_ms_left (q), ==, 8 * MIN_MS);
  fake_clear (&f);

  /* After a reboot the boot clock starts from zero: wall time bridges. */
  {
    g_autoptr (AlPacing) r = NULL;
    f.boot = 5000;
    f.boot_id = "boot-2";
    r = make (&f, NULL, NULL, NULL);
    g_assert_true (al_pacing_restore (r, saved, NULL));
    g_assert_cmpint (al_pacing_get_ms_left (r), ==, 8 * MIN_MS);
    run (&f, r, 9 * MIN_MS, 1000);
    g_assert_cmpint (al_pacing_get_state (r), ==, AL_PACE_WORKING);
    g_assert_cmpint (al_pacing_get_block (r), ==, 2);
    fake_clear (&f);
  }
  g_assert_false (al_pacing_restore (q, "{\"state\":\"dancing\"}", NULL));
}

static void
test_suspend_during_work (void)
{
  Fake f = { 0 };
  g_autoptr (AlPacing) p = make (&f, "45m/15mx4", NULL, "0s");

  al_pacing_start (p);
  run (&f, p, 30 * MIN_MS, 1000);
  /* Twenty minutes suspended: one tick afterwards sees them all. */
  f.boot += 20 * MIN_MS;
  f.wall += 20 * MIN_MS;
  al_pacing_tick (p);
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_BREAK);
  g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_BREAK_START, 0), ==, 50 * MIN_MS);
  g_assert_cmpint (al_pacing_get_ms_left (p), ==, 10 * MIN_MS);
  /* The warnings were passed over while asleep, not given late. */
  g_assert_cmpint (count (&f, AL_PACE_EVENT_WARNING), ==, 0);
  fake_clear (&f);
}

static void
test_wall_clock_change (void)
{
  Fake f = { 0 };
  g_autoptr (AlPacing) p = make (&f, "45m/15mx4", NULL, "0s");

  al_pacing_start (p);
  run (&f, p, 10 * MIN_MS, 1000);
  f.wall -= 60 * MIN_MS;  /* the clock is set back an hour */
  al_pacing_tick (p);
  g_assert_cmpint (al_pacing_get_ms_left (p), ==, 35 * MIN_MS);
  f.wall += 120 * MIN_MS;
  al_pacing_tick (p);
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_WORKING);
  g_assert_cmpint (al_pacing_get_ms_left (p), ==, 35 * MIN_MS);
  fake_clear (&f);
}

static void
test_room_rhythm (void)
{
  Fake f = { 0 };
  AlPlan plan;
  AlClock clock = { fake_boot, fake_wall, fake_id, &f };
  g_autoptr (GDateTime) t = g_date_time_new_local (2026, 11, 23, 9, 20, 0);
  g_autoptr (AlPacing) p = NULL;

  al_plan_init_default (&plan);
  plan.room = TRUE;
  plan.room_start_minute = 9 * 60;
  plan.grace_ms = 0;
  f.boot_id = "boot-1";
  f.wall = g_date_time_to_unix (t) * 1000;
  f.log = g_array_new (FALSE, FALSE, sizeof (Entry));
  p = al_pacing_new (&plan, &clock, record, &f);

  /* Arriving at 09:20, the participant joins block 1 with 25 minutes left. */
  al_pacing_start (p);
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_WORKING);
  g_assert_cmpint (al_pacing_get_block (p), ==, 1);
  g_assert_cmpint (al_pacing_get_ms_left (p), ==, 25 * MIN_MS);
  /* The whole room breaks at 09:45 and starts again at 10:00. */
  run (&f, p, 26 * MIN_MS, 1000);
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_BREAK);
  g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_BREAK_START, 0), ==, 25 * MIN_MS);
  run (&f, p, 15 * MIN_MS, 1000);
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_WORKING);
  g_assert_cmpint (al_pacing_get_block (p), ==, 2);
  g_assert_cmpint (nth_at (&f, AL_PACE_EVENT_BLOCK_START, 1), ==, 40 * MIN_MS);
  fake_clear (&f);

  /* Arriving in the room's break: wait with the room. */
  {
    Fake g = { 0 };
    AlClock c2 = { fake_boot, fake_wall, fake_id, &g };
    g_autoptr (GDateTime) t2 = g_date_time_new_local (2026, 11, 23, 9, 50, 0);
    g_autoptr (AlPacing) q = NULL;
    g.boot_id = "boot-1";
    g.wall = g_date_time_to_unix (t2) * 1000;
    g.log = g_array_new (FALSE, FALSE, sizeof (Entry));
    q = al_pacing_new (&plan, &c2, record, &g);
    al_pacing_start (q);
    g_assert_cmpint (al_pacing_get_state (q), ==, AL_PACE_BREAK);
    g_assert_cmpint (al_pacing_get_ms_left (q), ==, 10 * MIN_MS);
    fake_clear (&g);
  }
}

static void
test_plan_change_next_block (void)
{
  Fake f = { 0 };
  g_autoptr (AlPacing) p = make (&f, "45m/15mx4", NULL, "0s");
  AlPlan next;

  al_pacing_start (p);
  run (&f, p, 10 * MIN_MS, 1000);
  al_plan_init_default (&next);
  g_assert_true (al_plan_parse ("30m/10mx3", &next, NULL));
  al_pacing_set_plan (p, &next);
  /* The current block keeps its length... */
  g_assert_cmpint (al_pacing_get_ms_left (p), ==, 35 * MIN_MS);
  run (&f, p, 50 * MIN_MS, 1000);
  /* ...the break too; the next block is the new plan's. */
  g_assert_cmpint (al_pacing_get_block (p), ==, 2);
  g_assert_cmpint (al_pacing_get_blocks (p), ==, 3);
  g_assert_cmpint (al_pacing_get_ms_left (p), ==, 30 * MIN_MS);
  fake_clear (&f);
}

static void
test_coach_ends_break (void)
{
  Fake f = { 0 };
  g_autoptr (AlPacing) p = make (&f, "45m/15mx4", NULL, "0s");

  al_pacing_start (p);
  g_assert_false (al_pacing_end_break (p));
  run (&f, p, 50 * MIN_MS, 1000);
  g_assert_true (al_pacing_end_break (p));
  g_assert_cmpint (al_pacing_get_state (p), ==, AL_PACE_WORKING);
  g_assert_cmpint (al_pacing_get_block (p), ==, 2);
  fake_clear (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pacing/parse", test_parse);
  g_test_add_func ("/pacing/plan-from-json", test_plan_from_json);
  g_test_add_func ("/pacing/full-day", test_full_day);
  g_test_add_func ("/pacing/short-plan", test_short_plan);
  g_test_add_func ("/pacing/warning-longer-than-block", test_warning_longer_than_block_skipped);
  g_test_add_func ("/pacing/grace", test_grace);
  g_test_add_func ("/pacing/extra-pause", test_extra_pause);
  g_test_add_func ("/pacing/restart-during-break", test_restart_during_break);
  g_test_add_func ("/pacing/suspend-during-work", test_suspend_during_work);
  g_test_add_func ("/pacing/wall-clock-change", test_wall_clock_change);
  g_test_add_func ("/pacing/room-rhythm", test_room_rhythm);
  g_test_add_func ("/pacing/plan-change-next-block", test_plan_change_next_block);
  g_test_add_func ("/pacing/coach-ends-break", test_coach_ends_break);
  return g_test_run ();
}
