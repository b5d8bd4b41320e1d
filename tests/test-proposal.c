/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Model proposals: tasks keep them (the lease hands none out on gold), draft words are
 * aligned to the final text as word error rate aligns them, and proposed
 * boxes are told apart as pending, accepted, changed or added. */
#include "config.h"

#include <string.h>

#include "al-proposal.h"
#include "al-task.h"

static AlTask *
task_from (const char *text)
{
  g_autoptr (json_t) json = json_loads (text, 0, NULL);
  g_autoptr (GError) error = NULL;
  AlTask *task;

  g_assert_nonnull (json);
  task = al_task_new_from_json (json, "/", &error);
  g_assert_no_error (error);
  return task;
}

static void
test_task_keeps_proposal (void)
{
  g_autoptr (AlTask) task = task_from (
      "{\"id\": \"t\", \"kind\": \"transcribe\", \"audio\": \"/a.wav\", \"proposal\": "
      "{\"model\": \"pocketsphinx\", \"version\": \"0.8\", \"text\": \"ten of clubs\", "
      "\"words\": [{\"word\": \"ten\", \"confidence\": 0.4}]}}");
  g_autoptr (json_t) back = al_task_to_json (task);
  g_autoptr (AlTask) gold = task_from (
      "{\"id\": \"g\", \"kind\": \"transcribe\", \"audio\": \"/a.wav\", \"gold\": {\"text\": "
      "\"ten\"}, \"proposal\": {\"model\": \"m\", \"text\": \"ten\", \"words\": []}}");

  g_assert_nonnull (task->proposal);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (back, "proposal"), "text")),
                   ==, "ten of clubs");
  /* Kept to measure the model; the lease never hands it out (test-leases). */
  g_assert_nonnull (gold->proposal);
}

static void
test_task_refuses_bad_proposal (void)
{
  static const char *const bad[][2] = {
    { "\"proposal\": []", "\"proposal\" must be an object" },
    { "\"proposal\": {\"model\": \"\", \"text\": \"x\", \"words\": []}", "needs \"model\"" },
    { "\"proposal\": {\"model\": \"m\", \"words\": []}", "needs \"text\"" },
    { "\"proposal\": {\"model\": \"m\", \"text\": \"x\", \"words\": [{\"confidence\": 1}]}",
      "proposal word 1 needs \"word\"" },
    { "\"proposal\": {\"model\": \"m\", \"text\": \"x\", \"words\": [{\"word\": \"x\", "
      "\"confidence\": -0.5}]}",
      "\"confidence\" must be a number from 0 to 1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf (
          "{\"id\": \"t\", \"kind\": \"transcribe\", \"audio\": \"/a.wav\", %s}", bad[i][0]);
      g_autoptr (json_t) json = json_loads (text, 0, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (AlTask) task = al_task_new_from_json (json, "/", &error);

      g_assert_null (task);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, bad[i][1]));
    }
  {
    g_autoptr (json_t) json = json_loads (
        "{\"id\": \"b\", \"kind\": \"bbox\", \"image\": \"/p.jpg\", \"labels\": [\"face\"], "
        "\"proposal\": {\"model\": \"m\", \"boxes\": [{\"label\": \"cat\", \"x\": 1, \"y\": 1, "
        "\"w\": 2, \"h\": 2}]}}",
        0, NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (AlTask) task = al_task_new_from_json (json, "/", &error);

    g_assert_null (task);
    g_assert_nonnull (strstr (error->message, "not in the task's labels"));
  }
}

static AlProposalCounts
align (const char *draft, const char *final, int *kept)
{
  g_auto (GStrv) d = al_proposal_split_words (draft);
  g_auto (GStrv) f = al_proposal_split_words (final);
  AlProposalCounts counts;

  al_proposal_align_words (d, f, kept, &counts);
  return counts;
}

static void
test_align_words (void)
{
  int kept[8];
  AlProposalCounts c;

  c = align ("ten of clubs", "ten of clubs", kept);
  g_assert_cmpuint (c.accepted, ==, 3);
  g_assert_cmpuint (c.changed + c.added + c.rejected, ==, 0);
  g_assert_cmpint (kept[2], ==, 2);

  /* Case and the punctuation around a word do not make it another word. */
  c = align ("Ten, of clubs.", "ten of clubs", NULL);
  g_assert_cmpuint (c.accepted, ==, 3);

  c = align ("son of close", "seven of clubs", kept);
  g_assert_cmpuint (c.accepted, ==, 1);
  g_assert_cmpuint (c.changed, ==, 2);
  g_assert_cmpint (kept[0], ==, -1);
  g_assert_cmpint (kept[1], ==, 1);

  c = align ("hello study rather cold", "unless to be rather cold", kept);
  g_assert_cmpuint (c.accepted, ==, 2);
  g_assert_cmpuint (c.changed, ==, 2);
  g_assert_cmpuint (c.added, ==, 1);
  g_assert_cmpuint (c.rejected, ==, 0);
  g_assert_cmpint (kept[2], ==, 3);

  c = align ("five five five", "five", NULL);
  g_assert_cmpuint (c.accepted, ==, 1);
  g_assert_cmpuint (c.rejected, ==, 2);

  c = align ("", "four queen", NULL);
  g_assert_cmpuint (c.added, ==, 2);
  c = align ("four queen", "  ", NULL);
  g_assert_cmpuint (c.rejected, ==, 2);
}

static void
test_boxes (void)
{
  g_autoptr (json_t) proposal = json_loads (
      "{\"model\": \"opencv-haar\", \"version\": \"4.6.0\", \"boxes\": ["
      "{\"label\": \"face\", \"x\": 10, \"y\": 20, \"w\": 30, \"h\": 40, \"confidence\": 0.8},"
      "{\"label\": \"face\", \"x\": 90, \"y\": 90, \"w\": 30, \"h\": 30, \"confidence\": 0.2},"
      "{\"label\": \"face\", \"x\": 50, \"y\": 50, \"w\": 10, \"h\": 10}]}",
      0, NULL);
  g_auto (GStrv) labels = g_strsplit ("face,flag", ",", -1);
  g_autoptr (GArray) proposed = al_proposal_boxes (proposal, labels, 100, 100);
  g_autoptr (AlBoxModel) model = al_box_model_new (100, 100, 2);
  AlProposalCounts c;
  AlBox b;

  g_assert_cmpuint (proposed->len, ==, 3);
  /* The second runs off the image: it is kept clamped, as the canvas has it,
   * so that a box left alone is still the proposed one. */
  g_assert_cmpfloat (g_array_index (proposed, AlBox, 1).x, ==, 70);
  for (guint i = 0; i < proposed->len; i++)
    al_box_model_add (model, &g_array_index (proposed, AlBox, i));
  g_assert_cmpint (al_proposal_box_origin (proposed, al_box_model_get (model, 0)), ==,
                   AL_BOX_ORIGIN_PENDING);
  g_assert_cmpfloat (al_proposal_box_confidence (proposal, 1), ==, 0.8);
  g_assert_cmpfloat (al_proposal_box_confidence (proposal, 3), ==, -1);

  b = *al_box_model_get (model, 0);
  b.unchecked = FALSE;
  al_box_model_set_box (model, 0, &b);
  g_assert_cmpint (al_proposal_box_origin (proposed, al_box_model_get (model, 0)), ==,
                   AL_BOX_ORIGIN_ACCEPTED);
  /* Accepting is an edit of its own: undo brings the unchecked box back. */
  g_assert_true (al_box_model_undo (model));
  g_assert_cmpint (al_proposal_box_origin (proposed, al_box_model_get (model, 0)), ==,
                   AL_BOX_ORIGIN_PENDING);
  g_assert_true (al_box_model_redo (model));

  al_box_model_select (model, 2);
  al_box_model_move (model, 1, 0);
  g_assert_cmpint (al_proposal_box_origin (proposed, al_box_model_get (model, 2)), ==,
                   AL_BOX_ORIGIN_CHANGED);
  al_box_model_select (model, 1);
  al_box_model_delete (model);
  al_box_model_add_centered (model);
  g_assert_cmpint (al_proposal_box_origin (proposed, al_box_model_get (model, 2)), ==,
                   AL_BOX_ORIGIN_ADDED);

  al_proposal_count_boxes (proposed, model, &c);
  g_assert_cmpuint (c.accepted, ==, 1);
  g_assert_cmpuint (c.changed, ==, 1);
  g_assert_cmpuint (c.added, ==, 1);
  g_assert_cmpuint (c.rejected, ==, 1);
  {
    g_autoptr (json_t) mark = al_proposal_mark (proposal, &c);
    g_assert_cmpstr (json_string_value (json_object_get (mark, "model")), ==, "opencv-haar");
    g_assert_cmpstr (json_string_value (json_object_get (mark, "version")), ==, "4.6.0");
    g_assert_cmpint (json_integer_value (json_object_get (mark, "rejected")), ==, 1);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/proposal/task-keeps", test_task_keeps_proposal);
  g_test_add_func ("/proposal/task-refuses", test_task_refuses_bad_proposal);
  g_test_add_func ("/proposal/align-words", test_align_words);
  g_test_add_func ("/proposal/boxes", test_boxes);
  return g_test_run ();
}
