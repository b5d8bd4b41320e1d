/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The player and the segmenter on real recorded speech (LibriVox). */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "al-audio-decode.h"
#include "al-player.h"
#include "al-segmenter.h"

static char *
demo_audio (const char *name)
{
  return g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "data", "demo", "audio", name, NULL);
}

static gboolean flag;

static void
set_flag (void)
{
  flag = TRUE;
}

static gboolean
wait_for (gboolean *cond,
          double    seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  while (!*cond && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
  return *cond;
}

static void
spin (double seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
}

static AlPlayer *
ready_player (double start,
              double end)
{
  g_autofree char *path = demo_audio ("austen-0870.wav");
  AlPlayer *player = al_player_new ("none");

  flag = FALSE;
  g_signal_connect_swapped (player, "ready", G_CALLBACK (set_flag), NULL);
  al_player_load (player, path, start, end);
  g_assert_true (wait_for (&flag, 5));
  spin (0.1);
  return player;
}

static void
test_seek_and_play (void)
{
  g_autoptr (AlPlayer) p = ready_player (1.0, 4.0);
  double pos;

  g_assert_cmpfloat_with_epsilon (al_player_get_duration (p), 3.0, 0.01);
  al_player_seek (p, 1.0);
  spin (0.2);
  g_assert_cmpfloat_with_epsilon (al_player_get_position (p), 1.0, 0.05);
  al_player_set_rewind (p, 0);
  al_player_play (p);
  spin (1.0);
  pos = al_player_get_position (p);
  g_assert_cmpfloat_with_epsilon (pos, 2.0, 0.25);
  g_assert_true (al_player_get_playing (p));
}

static void
test_rate_survives_seek (void)
{
  g_autoptr (AlPlayer) p = ready_player (0, 7.0);
  double before, after;

  g_assert_cmpfloat (al_player_faster (p), ==, 1.25);
  g_assert_cmpfloat (al_player_faster (p), ==, 1.5);
  al_player_seek (p, 0.5);
  spin (0.2);
  al_player_set_rewind (p, 0);
  al_player_play (p);
  spin (0.3);
  before = al_player_get_position (p);
  spin (1.0);
  after = al_player_get_position (p);
  /* One second of wall time is one and a half of recording. */
  g_assert_cmpfloat_with_epsilon (after - before, 1.5, 0.25);
  g_assert_cmpfloat (al_player_get_rate (p), ==, 1.5);
  g_assert_cmpfloat (al_player_set_rate (p, 9), ==, 2.0);
  g_assert_cmpfloat (al_player_set_rate (p, 0.1), ==, 0.5);
}

static void
test_auto_rewind (void)
{
  g_autoptr (AlPlayer) p = ready_player (0, 7.0);
  double paused;

  al_player_play (p);
  spin (2.5);
  al_player_pause (p);
  paused = al_player_get_position (p);
  g_assert_cmpfloat_with_epsilon (paused, 2.5, 0.3);
  al_player_play (p);
  spin (0.15);
  g_assert_cmpfloat_with_epsilon (al_player_get_position (p), paused - 1.5 + 0.15, 0.2);
}

static void
count_call (int *n)
{
  (*n)++;
}

/* The recording around the segment, for context: it plays, stops by
 * itself, and leaves the segment where it was, without "finished". */
static void
test_context (void)
{
  g_autoptr (AlPlayer) p = ready_player (2.0, 4.0);
  int finished = 0;
  gint64 t0;

  g_signal_connect_swapped (p, "finished", G_CALLBACK (count_call), &finished);
  al_player_seek (p, 0.5);
  spin (0.2);
  g_assert_true (al_player_play_context (p, -1.0));
  g_assert_true (al_player_get_playing (p));
  t0 = g_get_monotonic_time ();
  while (al_player_get_playing (p) && g_get_monotonic_time () - t0 < 3 * G_USEC_PER_SEC)
    spin (0.01);
  g_assert_false (al_player_get_playing (p));
  /* One second of recording at normal speed. */
  g_assert_cmpfloat_with_epsilon ((g_get_monotonic_time () - t0) / 1e6, 1.0, 0.35);
  g_assert_cmpint (finished, ==, 0);
  g_assert_cmpfloat_with_epsilon (al_player_get_position (p), 0.5, 0.05);

  /* After the segment, cut short by a pause: back at the same place. */
  g_assert_true (al_player_play_context (p, 2.0));
  spin (0.5);
  al_player_pause (p);
  spin (0.2);
  g_assert_false (al_player_get_playing (p));
  g_assert_cmpfloat_with_epsilon (al_player_get_position (p), 0.5, 0.05);

  /* The segment itself still plays and ends as before. */
  al_player_set_rewind (p, 0);
  al_player_play (p);
  g_assert_true (wait_for ((gboolean *) &finished, 3));
  g_assert_cmpfloat_with_epsilon (al_player_get_position (p), 2.0, 0.05);
}

static void
test_nothing_around (void)
{
  g_autoptr (AlPlayer) p = ready_player (0, 0);

  /* A whole recording has nothing before or after it. */
  g_assert_false (al_player_play_context (p, -1.5));
  g_assert_false (al_player_play_context (p, 1.5));
  g_assert_false (al_player_get_playing (p));
}

static void
test_segment_end_stops (void)
{
  g_autoptr (AlPlayer) p = ready_player (1.0, 3.0);
  gboolean finished = FALSE;

  g_signal_connect_swapped (p, "finished", G_CALLBACK (set_flag), NULL);
  flag = FALSE;
  al_player_seek (p, 1.6);
  spin (0.1);
  al_player_play (p);
  finished = wait_for (&flag, 2);
  g_assert_true (finished);
  g_assert_false (al_player_get_playing (p));
  g_assert_cmpfloat_with_epsilon (al_player_get_position (p), 2.0, 0.01);
}

static void
test_loop_and_hold (void)
{
  g_autoptr (AlPlayer) p = ready_player (1.0, 3.0);

  al_player_set_loop (p, TRUE);
  al_player_seek (p, 1.7);
  spin (0.1);
  al_player_play (p);
  spin (0.8);
  g_assert_true (al_player_get_playing (p));
  g_assert_cmpfloat (al_player_get_position (p), <, 1.0);

  al_player_hold (p, TRUE);
  al_player_hold (p, TRUE);
  g_assert_false (al_player_get_playing (p));
  al_player_hold (p, FALSE);
  g_assert_false (al_player_get_playing (p));
  al_player_hold (p, FALSE);
  /* It goes on once the last words have left the sound server. */
  g_assert_false (al_player_get_playing (p));
  spin (0.3);
  g_assert_true (al_player_get_playing (p));
}

static void
count_sample (gint64 *at,
              gint64  us)
{
  *at = us;
  flag = TRUE;
}

/* "first-sample": once per play, when its first audio reaches the sink,
 * never while paused; a stopped player stays silent when a hold ends. */
static void
test_first_sample_and_stop (void)
{
  g_autoptr (AlPlayer) p = ready_player (0, 3.0);
  gint64 heard = 0, pressed;

  g_signal_connect_swapped (p, "first-sample", G_CALLBACK (count_sample), &heard);
  spin (0.3);
  g_assert_cmpint (heard, ==, 0);
  pressed = g_get_monotonic_time ();
  flag = FALSE;
  al_player_play (p);
  g_assert_true (wait_for (&flag, 2));
  g_assert_cmpint (heard, >=, pressed);
  g_assert_cmpint (heard - pressed, <, 200 * 1000);
  heard = 0;
  spin (0.3);
  g_assert_cmpint (heard, ==, 0);

  al_player_hold (p, TRUE);
  al_player_stop (p);
  al_player_hold (p, FALSE);
  spin (0.3);
  g_assert_false (al_player_get_playing (p));
  g_assert_cmpint (heard, ==, 0);
}

static void
test_broken_recordings (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("annolab-audio-XXXXXX", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.wav", NULL);

  g_assert_true (g_file_set_contents (junk, "RIFF\x10\x00\x00\x00WAVEnot really audio at all",
                                      -1, NULL));

  g_assert_null (al_audio_decode ("/nonexistent/x.wav", 0, 0, 16000, &error));
  g_assert_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_MISSING);
  g_clear_error (&error);
  g_assert_null (al_audio_decode (junk, 0, 0, 16000, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "junk.wav"));
  unlink (junk);
  rmdir (dir);
}

static void
test_segmenter_synthetic (void)
{
  int rate = 16000;
  double bursts[] = { 1.5, 3.0, 4.0, 6.5 };
  g_autoptr (GArray) s = g_array_new (FALSE, TRUE, sizeof (float));
  g_autoptr (GArray) segs = NULL;
  GArray *silences = g_array_new (FALSE, FALSE, sizeof (double));
  double t = 0.5;

  g_array_set_size (s, (gsize) (0.5 * rate));
  for (gsize b = 0; b < G_N_ELEMENTS (bursts); b++)
    {
      gsize n = (gsize) (bursts[b] * rate), at = s->len;
      g_array_set_size (s, at + n + (gsize) (0.6 * rate));
      for (gsize i = 0; i < n; i++)
        g_array_index (s, float, at + i) = 0.3f * sinf (2 * G_PI * 220 * i / rate);
      t += bursts[b];
      g_array_append_val (silences, t);
      t += 0.6;
    }
  for (gsize i = 0; i < s->len; i++)
    g_array_index (s, float, i) += 0.001f * sinf (i * 12.9898f);
  segs = al_segment_samples ((float *) (void *) s->data, s->len, rate, NULL, NULL);
  g_assert_cmpuint (segs->len, >=, 3);
  for (guint i = 0; i < segs->len; i++)
    {
      AlSegment *g = &g_array_index (segs, AlSegment, i);
      g_assert_cmpfloat (g->end - g->start, <=, 8.0 + 1e-9);
      if (i + 1 < segs->len)
        {
          /* Every cut lies in one of the silences between bursts. */
          gboolean in_silence = FALSE;
          for (guint k = 0; k < silences->len; k++)
            {
              double a = g_array_index (silences, double, k);
              in_silence |= g->end >= a - 0.02 && g->end <= a + 0.62;
            }
          g_assert_true (in_silence);
          g_assert_cmpfloat (g->end, ==, g_array_index (segs, AlSegment, i + 1).start);
        }
    }
  g_array_unref (silences);
}

static void
test_segmenter_librivox (void)
{
  static const char *const clips[] = { "austen-0870.wav", "austen-0880.wav", "austen-0890.wav",
                                       "austen-0920.wav", "austen-0930.wav" };
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr (GArray) segs = NULL;
  AlSegmenterOptions o;
  double thr;
  int rate = 16000;
  gsize frame;

  for (gsize c = 0; c < G_N_ELEMENTS (clips); c++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = demo_audio (clips[c]);
      g_autoptr (GArray) s = al_audio_decode (path, 0, 0, rate, &error);
      g_assert_no_error (error);
      g_array_append_vals (all, s->data, s->len);
    }
  al_segmenter_options_init (&o);
  frame = (gsize) (o.frame_s * rate);
  segs = al_segment_samples ((float *) (void *) all->data, all->len, rate, &o, &thr);
  g_assert_cmpuint (segs->len, >=, 4);
  for (guint i = 0; i < segs->len; i++)
    {
      AlSegment *g = &g_array_index (segs, AlSegment, i);
      g_assert_cmpfloat (g->end - g->start, <=, 8.0 + 1e-9);
      g_assert_cmpfloat (g->end - g->start, >=, 1.0);
      if (i + 1 < segs->len)
        {
          /* Cuts fall in pauses: the frame at the cut is below the speech
           * threshold. */
          gsize f = (gsize) (g->end * rate) / frame;
          double db = al_frame_db ((float *) (void *) all->data + f * frame, frame);
          g_assert_cmpfloat (db, <=, thr);
          g_assert_cmpfloat (g->end, ==, g_array_index (segs, AlSegment, i + 1).start);
        }
    }
  /* Together the segments cover every frame above the threshold. */
  for (gsize f = 0; f < all->len / frame; f++)
    if (al_frame_db ((float *) (void *) all->data + f * frame, frame) > thr)
      {
        double t = (double) f * frame / rate;
        g_assert_cmpfloat (t, >=, g_array_index (segs, AlSegment, 0).start);
        g_assert_cmpfloat (t, <, g_array_index (segs, AlSegment, segs->len - 1).end);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/player/seek-and-play", test_seek_and_play);
  g_test_add_func ("/player/rate-survives-seek", test_rate_survives_seek);
  g_test_add_func ("/player/auto-rewind", test_auto_rewind);
  g_test_add_func ("/player/segment-end-stops", test_segment_end_stops);
  g_test_add_func ("/player/context", test_context);
  g_test_add_func ("/player/nothing-around", test_nothing_around);
  g_test_add_func ("/player/loop-and-hold", test_loop_and_hold);
  g_test_add_func ("/player/first-sample-and-stop", test_first_sample_and_stop);
  g_test_add_func ("/audio/broken-recordings", test_broken_recordings);
  g_test_add_func ("/segmenter/synthetic", test_segmenter_synthetic);
  g_test_add_func ("/segmenter/librivox", test_segmenter_librivox);
  return g_test_run ();
}
