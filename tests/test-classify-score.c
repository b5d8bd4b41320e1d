/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "al-classify.h"
#include "al-feedback.h"
#include "al-quality.h"

static AlTask *
task_from (const char *text,
           GError    **error)
{
  g_autoptr (json_t) obj = json_loads (text, 0, NULL);

  g_assert_nonnull (obj);
  return al_task_new_from_json (obj, "/data", error);
}

static AlTask *
good_task (const char *text)
{
  g_autoptr (GError) error = NULL;
  AlTask *task = task_from (text, &error);

  g_assert_no_error (error);
  return task;
}

static void
refused (const char *text,
         const char *part)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) task = task_from (text, &error);

  g_assert_null (task);
  g_assert_error (error, AL_TASK_ERROR, AL_TASK_ERROR_INVALID);
  if (strstr (error->message, part) == NULL || strstr (error->message, "task x") == NULL)
    g_error ("“%s” should name the task and say “%s”", error->message, part);
}

static void
test_task_model (void)
{
  g_autoptr (AlTask) image = good_task ("{\"id\":\"a\",\"kind\":\"classify\",\"image\":\"cat.jpg\","
                                        "\"choices\":[\"kat\",\"hond\"]}");
  g_autoptr (AlTask) audio = good_task ("{\"id\":\"b\",\"kind\":\"classify\",\"audio\":\"x.wav\","
                                        "\"start\":1.5,\"end\":4,\"multiple\":true,"
                                        "\"choices\":[\"muziek\",\"spraak\",\"stilte\"],"
                                        "\"gold\":{\"choices\":[\"muziek\",\"spraak\"]}}");
  g_autoptr (AlTask) words = good_task ("{\"id\":\"c\",\"kind\":\"transcribe\",\"audio\":\"y.wav\"}");
  g_autoptr (AlTask) clip = good_task ("{\"id\":\"e\",\"kind\":\"classify\",\"video\":\"c.webm\","
                                       "\"start\":2,\"end\":5,\"choices\":[\"ja\",\"nee\"]}");
  g_autoptr (AlTask) boxes = good_task ("{\"id\":\"d\",\"kind\":\"bbox\",\"image\":\"y.jpg\","
                                        "\"labels\":[\"cat\"]}");
  g_autoptr (json_t) back = al_task_to_json (audio);
  g_autoptr (AlTask) again = al_task_new_from_json (back, NULL, NULL);

  g_assert_cmpint (image->media_type, ==, AL_TASK_MEDIA_IMAGE);
  g_assert_cmpstr (image->media, ==, "/data/cat.jpg");
  g_assert_false (image->multiple);
  g_assert_cmpstr (al_task_media_key (audio), ==, "audio");
  g_assert_cmpfloat (audio->start, ==, 1.5);
  g_assert_cmpfloat (audio->end, ==, 4);
  g_assert_cmpuint (g_strv_length (audio->choices), ==, 3);
  g_assert_true (audio->multiple);

  /* Voice mode is routed to what is listened to. */
  g_assert_true (al_task_is_listening (audio));
  g_assert_true (al_task_is_listening (words));
  g_assert_false (al_task_is_listening (image));
  g_assert_false (al_task_is_listening (boxes));
  /* A clip is watched: not routed as listening work. */
  g_assert_cmpint (clip->media_type, ==, AL_TASK_MEDIA_VIDEO);
  g_assert_cmpstr (al_task_media_key (clip), ==, "video");
  g_assert_cmpfloat (clip->end, ==, 5);
  g_assert_false (al_task_is_listening (clip));

  g_assert_nonnull (again);
  g_assert_cmpstr (again->media, ==, "/data/x.wav");
  g_assert_true (again->multiple);
  g_assert_true (json_equal (again->gold, audio->gold));
}

static void
test_task_refused (void)
{
  refused ("{\"id\":\"x\",\"kind\":\"classify\",\"image\":\"a.jpg\","
           "\"choices\":[\"a\",\"b\"],\"gold\":{\"choices\":[\"c\"]}}",
           "gold: the answer has the choice \"c\", which is not in the task's choices");
  refused ("{\"id\":\"x\",\"kind\":\"classify\",\"image\":\"a.jpg\","
           "\"choices\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\"]}",
           "at most 9 choices (it has 10)");
  refused ("{\"id\":\"x\",\"kind\":\"classify\",\"choices\":[\"a\",\"b\"]}",
           "needs one of \"image\", \"audio\" or \"video\"");
  refused ("{\"id\":\"x\",\"kind\":\"classify\",\"image\":\"\",\"choices\":[\"a\",\"b\"]}",
           "\"image\" is missing");
  refused ("{\"id\":\"x\",\"kind\":\"classify\",\"image\":\"a.jpg\",\"audio\":\"b.wav\","
           "\"choices\":[\"a\",\"b\"]}", "needs one of");
  refused ("{\"id\":\"x\",\"kind\":\"classify\",\"image\":\"a.jpg\",\"choices\":[\"a\",\"a\"]}",
           "the choice \"a\" is there twice");
  refused ("{\"id\":\"x\",\"kind\":\"classify\",\"image\":\"a.jpg\",\"choices\":[\"a\"]}",
           "at least 2 choices");
  refused ("{\"id\":\"x\",\"kind\":\"classify\",\"image\":\"a.jpg\",\"choices\":[]}",
           "\"choices\" must be a non-empty list");
  refused ("{\"id\":\"x\",\"kind\":\"classify\",\"image\":\"a.jpg\",\"choices\":[\"a\",\"b\"],"
           "\"gold\":{\"choices\":[\"a\",\"b\"]}}", "exactly one choice (it has 2)");
  refused ("{\"id\":\"x\",\"kind\":\"classify\",\"audio\":\"a.wav\",\"start\":3,\"end\":2,"
           "\"choices\":[\"a\",\"b\"]}", "end after start");
}

static void
test_result_checked (void)
{
  g_autoptr (AlTask) task = good_task ("{\"id\":\"a\",\"kind\":\"classify\",\"image\":\"c.jpg\","
                                       "\"multiple\":true,\"choices\":[\"kat\",\"hond\"]}");
  static const char *const bad[] = {
    "{}", "{\"choices\":\"kat\"}", "{\"choices\":[\"paard\"]}", "{\"choices\":[\"kat\",\"kat\"]}",
    "{\"choices\":[1]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (json_t) r = json_loads (bad[i], 0, NULL);
      g_autoptr (GError) error = NULL;
      g_assert_false (al_task_validate_result (task, r, &error));
      g_assert_nonnull (error);
    }
  {
    g_autoptr (json_t) none = json_loads ("{\"choices\":[]}", 0, NULL);
    g_autoptr (json_t) both = json_loads ("{\"choices\":[\"hond\",\"kat\"]}", 0, NULL);
    g_assert_true (al_task_validate_result (task, none, NULL));
    g_assert_true (al_task_validate_result (task, both, NULL));
  }
}

static json_t *
score (const AlTask *task,
       const char   *result)
{
  g_autoptr (json_t) r = json_loads (result, 0, NULL);
  return al_quality_score (task, r, NULL);
}

static const char *
code_of (json_t     *score,
         const char *part)
{
  return json_string_value (json_object_get (json_object_get (json_object_get (score, "feedback"),
                                                              part), "code"));
}

static void
test_score_single (void)
{
  g_autoptr (AlTask) task = good_task ("{\"id\":\"a\",\"kind\":\"classify\",\"audio\":\"m.wav\","
                                       "\"choices\":[\"muziek\",\"spraak\",\"stilte\"],"
                                       "\"gold\":{\"choices\":[\"spraak\"]}}");
  g_autoptr (json_t) right = score (task, "{\"choices\":[\"spraak\"]}");
  g_autoptr (json_t) wrong = score (task, "{\"choices\":[\"muziek\"]}");
  g_autofree char *en = NULL;
  g_autofree char *nl = NULL;

  g_assert_cmpstr (json_string_value (json_object_get (right, "kind")), ==, "classify");
  g_assert_cmpfloat (json_real_value (json_object_get (right, "score")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (right, "exact")), ==, 1);
  g_assert_cmpstr (code_of (right, "well"), ==, "right_choice");
  g_assert_cmpfloat (json_real_value (json_object_get (wrong, "score")), ==, 0);
  /* Agreement counts the choices left out by both as agreed: 1 of 3. */
  g_assert_cmpfloat_with_epsilon (json_real_value (json_object_get (wrong, "agreement")), 1.0 / 3,
                                  1e-12);
  g_assert_cmpstr (code_of (wrong, "tip"), ==, "expected_choice");
  en = al_feedback_render (json_object_get (wrong, "feedback"), "en");
  nl = al_feedback_render (json_object_get (wrong, "feedback"), "nl");
  g_assert_cmpstr (en, ==, "You answered the question. The expected answer was “spraak”; you "
                   "chose “muziek”.");
  g_assert_cmpstr (nl, ==, "Je hebt de vraag beantwoord. Het verwachte antwoord was ‘spraak’; "
                   "jij koos ‘muziek’.");
}

static void
test_score_multiple (void)
{
  g_autoptr (AlTask) task = good_task ("{\"id\":\"a\",\"kind\":\"classify\",\"image\":\"p.jpg\","
                                       "\"multiple\":true,"
                                       "\"choices\":[\"kat\",\"hond\",\"paard\",\"vogel\"],"
                                       "\"gold\":{\"choices\":[\"kat\",\"vogel\"]}}");
  g_autoptr (AlTask) empty = good_task ("{\"id\":\"b\",\"kind\":\"classify\",\"image\":\"p.jpg\","
                                        "\"multiple\":true,\"choices\":[\"kat\",\"hond\"],"
                                        "\"gold\":{\"choices\":[]}}");
  g_autoptr (json_t) missed = score (task, "{\"choices\":[\"kat\"]}");
  g_autoptr (json_t) extra = score (task, "{\"choices\":[\"vogel\",\"kat\",\"hond\"]}");
  g_autoptr (json_t) exact = score (task, "{\"choices\":[\"vogel\",\"kat\"]}");
  g_autoptr (json_t) none = score (empty, "{\"choices\":[\"hond\"]}");
  g_autofree char *en = al_feedback_render (json_object_get (missed, "feedback"), "en");
  g_autofree char *nl = al_feedback_render (json_object_get (extra, "feedback"), "nl");
  g_autofree char *none_en = al_feedback_render (json_object_get (none, "feedback"), "en");

  g_assert_cmpfloat (json_real_value (json_object_get (missed, "score")), ==, 0.75);
  g_assert_cmpint (json_integer_value (json_object_get (missed, "exact")), ==, 0);
  g_assert_cmpstr (en, ==, "You were right about three of the four choices. “vogel” also applied. "
                   "The expected answer was: kat, vogel.");
  g_assert_cmpfloat (json_real_value (json_object_get (extra, "score")), ==, 0.75);
  g_assert_cmpstr (nl, ==, "Je had drie van de vier keuzes goed. ‘hond’ hoorde er niet bij. Het "
                   "verwachte antwoord was: kat, vogel.");
  g_assert_cmpfloat (json_real_value (json_object_get (exact, "score")), ==, 1);
  g_assert_cmpstr (code_of (exact, "well"), ==, "all_choices_right");
  g_assert_cmpfloat (json_real_value (json_object_get (none, "score")), ==, 0.5);
  g_assert_cmpstr (none_en, ==, "You were right about one of the two choices. “hond” did not "
                   "apply: none of the choices applied here.");
}

static void
test_majority (void)
{
  g_autoptr (AlTask) one = good_task ("{\"id\":\"a\",\"kind\":\"classify\",\"image\":\"p.jpg\","
                                      "\"choices\":[\"kat\",\"hond\",\"paard\"]}");
  g_autoptr (AlTask) many = good_task ("{\"id\":\"b\",\"kind\":\"classify\",\"image\":\"p.jpg\","
                                       "\"multiple\":true,\"choices\":[\"kat\",\"hond\",\"paard\"]}");
  json_t *r[4] = {
    json_loads ("{\"choices\":[\"paard\"]}", 0, NULL),
    json_loads ("{\"choices\":[\"hond\"]}", 0, NULL),
    json_loads ("{\"choices\":[\"paard\",\"hond\"]}", 0, NULL),
    json_loads ("{\"choices\":[\"hond\",\"kat\"]}", 0, NULL),
  };
  g_autoptr (json_t) tie = al_classify_majority (one, r, 2);
  g_autoptr (json_t) three = al_classify_majority (many, r, 3);
  g_autoptr (json_t) four = al_classify_majority (many, r, 4);
  g_autoptr (json_t) want_tie = json_loads ("{\"choices\":[\"hond\"]}", 0, NULL);
  g_autoptr (json_t) want_three = json_loads ("{\"choices\":[\"hond\",\"paard\"]}", 0, NULL);
  g_autoptr (json_t) want_four = json_loads ("{\"choices\":[\"hond\"]}", 0, NULL);

  /* A tie goes to the earlier choice of the task: hond before paard. */
  g_assert_true (json_equal (tie, want_tie));
  /* Several answers: each picked by more than half (2 of 3; 3 of 4, not 2 of 4). */
  g_assert_true (json_equal (three, want_three));
  g_assert_true (json_equal (four, want_four));
  for (guint i = 0; i < 4; i++)
    json_decref (r[i]);
}

/* Four items, three workers, two classes; A and B agree, C is off on two.
 * Worked by hand, one EM round without smoothing:
 *   start  T = (1, 0), (1/3, 2/3), (2/3, 1/3), (0, 1); prior (1/2, 1/2)
 *   A, B:  P(0|0) = 5/6, P(1|0) = 1/6, P(0|1) = 1/6, P(1|1) = 5/6
 *   C:     P(0|0) = 2/3, P(1|0) = 1/3, P(0|1) = 1/3, P(1|1) = 2/3
 *   item 1 (A=1, B=1, C=0): 1/2·1/6·1/6·2/3 : 1/2·5/6·5/6·1/3 = 2 : 25
 *   item 0 (all 0): 1/2·5/6·5/6·2/3 : 1/2·1/6·1/6·1/3 = 50 : 1
 *   accuracy A = (50/51 + 25/27 + 25/27 + 50/51) / 4, C = (50/51 + 2/27 + 2/27 + 50/51) / 4 */
static const AlClassLabel hand[] = {
  { 0, 0, 0 }, { 0, 1, 0 }, { 0, 2, 0 },
  { 1, 0, 1 }, { 1, 1, 1 }, { 1, 2, 0 },
  { 2, 0, 0 }, { 2, 1, 0 }, { 2, 2, 1 },
  { 3, 0, 1 }, { 3, 1, 1 }, { 3, 2, 1 },
};

static void
test_dawid_skene_hand (void)
{
  g_autoptr (AlDawidSkene) ds = al_dawid_skene (hand, G_N_ELEMENTS (hand), 4, 3, 2, 1, 0);

  g_assert_cmpuint (ds->iterations, ==, 1);
  g_assert_cmpfloat_with_epsilon (ds->prior[0], 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (ds->confusion[0 * 4 + 0 * 2 + 0], 5.0 / 6, 1e-12);
  g_assert_cmpfloat_with_epsilon (ds->confusion[0 * 4 + 1 * 2 + 0], 1.0 / 6, 1e-12);
  g_assert_cmpfloat_with_epsilon (ds->confusion[2 * 4 + 0 * 2 + 0], 2.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (ds->confusion[2 * 4 + 1 * 2 + 1], 2.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (ds->posterior[1 * 2 + 0], 2.0 / 27, 1e-12);
  g_assert_cmpfloat_with_epsilon (ds->posterior[1 * 2 + 1], 25.0 / 27, 1e-12);
  g_assert_cmpfloat_with_epsilon (ds->posterior[0 * 2 + 0], 50.0 / 51, 1e-12);
  g_assert_cmpfloat_with_epsilon (ds->posterior[2 * 2 + 0], 25.0 / 27, 1e-12);
  g_assert_cmpuint (ds->best[0], ==, 0);
  g_assert_cmpuint (ds->best[1], ==, 1);
  g_assert_cmpuint (ds->best[2], ==, 0);
  g_assert_cmpuint (ds->best[3], ==, 1);
  g_assert_cmpfloat_with_epsilon (ds->accuracy[0], (50.0 / 51 + 25.0 / 27) / 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (ds->accuracy[1], ds->accuracy[0], 1e-12);
  g_assert_cmpfloat_with_epsilon (ds->accuracy[2], (50.0 / 51 + 2.0 / 27) / 2, 1e-12);
}

/* Worker 2 is right on every item, workers 0 and 1 slip on six items
 * each; on items 20 and 21 both slip at once, so the majority is wrong
 * there. Dawid-Skene learns whom to trust and follows worker 2 (the same
 * EM in a few lines of Python gives 0.956 for the truth on those two). */
static void
test_dawid_skene_beats_majority (void)
{
  g_autoptr (GArray) labels = g_array_new (FALSE, FALSE, sizeof (AlClassLabel));
  g_autoptr (AlDawidSkene) ds = NULL;

  for (guint i = 0; i < 22; i++)
    {
      guint truth = i % 2;
      gboolean slip0 = i < 6 || i >= 20;
      gboolean slip1 = (i >= 6 && i < 12) || i >= 20;
      g_array_append_val (labels, ((AlClassLabel) { i, 0, slip0 ? 1 - truth : truth }));
      g_array_append_val (labels, ((AlClassLabel) { i, 1, slip1 ? 1 - truth : truth }));
      g_array_append_val (labels, ((AlClassLabel) { i, 2, truth }));
    }
  ds = al_dawid_skene ((AlClassLabel *) (void *) labels->data, labels->len, 22, 3, 2, 0,
                       AL_DAWID_SKENE_SMOOTHING);
  g_assert_cmpuint (ds->iterations, >, 1);
  g_assert_cmpfloat_with_epsilon (ds->posterior[20 * 2 + 0], 0.956, 0.001);
  for (guint i = 0; i < 22; i++)
    {
      g_assert_cmpuint (ds->best[i], ==, i % 2);
      g_assert_cmpfloat_with_epsilon (ds->posterior[i * 2] + ds->posterior[i * 2 + 1], 1.0, 1e-9);
    }
  g_assert_cmpfloat (ds->accuracy[2], >, 0.95);
  g_assert_cmpfloat (ds->accuracy[0], <, 0.75);
  g_assert_cmpfloat_with_epsilon (ds->accuracy[0], ds->accuracy[1], 1e-9);
}

static void
test_dawid_skene_empty (void)
{
  static const AlClassLabel one[] = { { 0, 0, 2 } };
  g_autoptr (AlDawidSkene) ds = al_dawid_skene (one, 1, 2, 2, 3, 0, AL_DAWID_SKENE_SMOOTHING);

  g_assert_cmpuint (ds->best[0], ==, 2);
  /* Nobody answered item 1: the prior, which is all class 2. */
  g_assert_cmpuint (ds->best[1], ==, 2);
  g_assert_cmpfloat (ds->accuracy[1], ==, -1);
  g_assert_false (isnan (ds->posterior[1 * 3 + 0]));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/classify-score/task/model", test_task_model);
  g_test_add_func ("/classify-score/task/refused", test_task_refused);
  g_test_add_func ("/classify-score/task/result-checked", test_result_checked);
  g_test_add_func ("/classify-score/score/single", test_score_single);
  g_test_add_func ("/classify-score/score/multiple", test_score_multiple);
  g_test_add_func ("/classify-score/majority", test_majority);
  g_test_add_func ("/classify-score/dawid-skene/hand", test_dawid_skene_hand);
  g_test_add_func ("/classify-score/dawid-skene/beats-majority", test_dawid_skene_beats_majority);
  g_test_add_func ("/classify-score/dawid-skene/empty", test_dawid_skene_empty);
  return g_test_run ();
}
