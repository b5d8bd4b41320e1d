/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "al-rhythm.h"

static void
test_clock_time (void)
{
  static const struct
  {
    const char *text;
    int minute; /* -1: refused */
  } cases[] = {
    { "00:00", 0 },    { "09:00", 540 },   { "23:59", 1439 }, { "12:30", 750 },
    { "24:00", -1 },   { "09:60", -1 },    { "9:00", -1 },    { "09:0", -1 },
    { "09:000", -1 },  { "09.00", -1 },    { " 9:00", -1 },   { "+9:00", -1 },
    { "09:-1", -1 },   { "", -1 },         { NULL, -1 },      { "ab:cd", -1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int minute = -1;
      gboolean ok = al_clock_time_parse (cases[i].text, &minute);

      g_test_message ("%s", cases[i].text ? cases[i].text : "(null)");
      g_assert_cmpint (ok, ==, cases[i].minute >= 0);
      if (ok)
        g_assert_cmpint (minute, ==, cases[i].minute);
    }
  for (int m = 0; m < 24 * 60; m += 7)
    {
      g_autofree char *text = al_clock_time_format (m);
      int back = -1;

      g_assert_true (al_clock_time_parse (text, &back));
      g_assert_cmpint (back, ==, m);
    }
}

static void
test_limits (void)
{
  g_autoptr (json_t) json = al_rhythm_limits_to_json ();
  guint n = 0;

  for (const AlRhythmLimit *l = al_rhythm_limits (); l->key; l++, n++)
    {
      json_t *entry = json_object_get (json, l->key);

      g_assert_true (al_rhythm_within (l->key, l->min));
      g_assert_true (al_rhythm_within (l->key, l->max));
      g_assert_false (al_rhythm_within (l->key, l->min - 1));
      g_assert_false (al_rhythm_within (l->key, l->max + 1));
      g_assert_cmpint (json_integer_value (json_object_get (entry, "min")), ==, l->min);
      g_assert_cmpint (json_integer_value (json_object_get (entry, "max")), ==, l->max);
    }
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (json_object_size (json), ==, 3);
  g_assert_true (al_rhythm_within ("work_minutes", 240));
  g_assert_false (al_rhythm_within ("break_minutes", 121));
  g_assert_false (al_rhythm_within ("blocks", 13));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rhythm/clock-time", test_clock_time);
  g_test_add_func ("/rhythm/limits", test_limits);
  return g_test_run ();
}
