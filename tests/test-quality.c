/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "al-box-consensus.h"
#include "al-boxes.h"
#include "al-catalog.h"
#include "al-coco-eval.h"
#include "al-hungarian.h"
#include "al-quality.h"
#include "al-rover.h"
#include "al-store.h"
#include "al-trn.h"
#include "al-wer.h"
#include "al-worker-quality.h"

/* ---- transcripts: jiwer's published values ---- */

static void
measure (const char *const *refs,
         const char *const *hyps,
         guint               n,
         gboolean            characters,
         AlWerCounts        *c,
         AlWerMeasures      *m)
{
  guint i;
  memset (c, 0, sizeof *c);
  for (i = 0; i < n; i++)
    al_wer_text (refs[i], hyps[i], 0, characters, c);
  al_wer_measures (c, m);
}

static void
check (const char *ref,
       const char *hyp,
       double      wer,
       double      mer,
       double      wil)
{
  AlWerCounts c;
  AlWerMeasures m;
  measure (&ref, &hyp, 1, FALSE, &c, &m);
  g_assert_cmpfloat_with_epsilon (m.wer, wer, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.mer, mer, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.wil, wil, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.wip, 1 - wil, 1e-12);
}

/* jiwer tests/test_measures.py, including the values from Morris et al.,
 * "From WER and RIL to MER and WIL". */
static void
test_jiwer_measures (void)
{
  check ("This is a test", "This is a test", 0, 0, 0);
  check ("This is a test", "", 1, 1, 1);
  check ("This is a test", "This test", 0.5, 0.5, 0.5);
  check ("i am a short ground truth",
         "i am a considerably longer and very much incorrect hypothesis", 7.0 / 6, 0.7, 0.85);
  check ("X", "X", 0, 0, 0);
  check ("X", "X X Y Y", 3, 0.75, 0.75);
  check ("X Y X", "X Z", 2.0 / 3, 2.0 / 3, 5.0 / 6);
  check ("X", "Y", 1, 1, 1);
  check ("X", "Y Z", 2, 1, 1);
}

/* jiwer tests/test_empty_ref.py (jiwer 4 defines these). */
static void
test_jiwer_empty_reference (void)
{
  const char *refs[] = { "hello world", "" };
  const char *hyps[] = { "hello world", "done" };
  const char *both[] = { "hello world", "" };
  AlWerCounts c;
  AlWerMeasures m;
  int i;

  check ("", "", 0, 0, 0);
  check ("", "hello", 1, 1, 1);
  for (i = 2; i <= 10; i++)
    {
      g_autoptr (GString) hyp = g_string_new (NULL);
      for (int j = 0; j < i; j++)
        g_string_append_printf (hyp, "%s%d", j ? " " : "", j);
      measure ((const char *[]) { "" }, (const char *[]) { hyp->str }, 1, FALSE, &c, &m);
      g_assert_cmpint (c.insertions, ==, i);
      g_assert_cmpfloat (m.wer, ==, i);
      g_assert_cmpfloat (m.mer, ==, 1);
      g_assert_cmpfloat (m.wil, ==, 1);
    }
  check ("hello", "", 1, 1, 1);

  measure (refs, hyps, 2, FALSE, &c, &m);
  g_assert_cmpint (c.insertions, ==, 1);
  g_assert_cmpfloat_with_epsilon (m.wer, 1.0 / 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.mer, 1.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.wil, 1.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.wip, 2.0 / 3, 1e-12);

  measure (both, both, 2, FALSE, &c, &m);
  g_assert_cmpint (c.hits, ==, 2);
  g_assert_cmpfloat (m.wer, ==, 0);
  g_assert_cmpfloat (m.wip, ==, 1);

  /* CER on empty references. */
  measure ((const char *[]) { "" }, (const char *[]) { "" }, 1, TRUE, &c, &m);
  g_assert_cmpfloat (m.wer, ==, 0);
  measure ((const char *[]) { "" }, (const char *[]) { "a" }, 1, TRUE, &c, &m);
  g_assert_cmpfloat (m.wer, ==, 1);
  measure ((const char *[]) { "" }, (const char *[]) { "abd" }, 1, TRUE, &c, &m);
  g_assert_cmpfloat (m.wer, ==, 3);
  measure ((const char *[]) { "abc" }, (const char *[]) { "" }, 1, TRUE, &c, &m);
  g_assert_cmpfloat (m.wer, ==, 1);
}

/* jiwer tests/test_cer.py. */
static void
test_jiwer_cer (void)
{
  static const struct { const char *ref, *hyp; double cer; } cases[] = {
    { "This is a test", "This is a test", 0.0 / 14 },
    { "This is a test", "", 14.0 / 14 },
    { "This is a test", "This test", 5.0 / 14 },
    { "X", "X", 0 },
    { "X", "X X Y Y", 6 },
    { "X Y X", "X Z", 3.0 / 5 },
    { "X", "Y", 1 },
    { "X", "Y Z", 3 },
  };
  const char *refs[] = { "i", "am i good" };
  const char *hyps[] = { "i am", "y good" };
  const char *refs2[] = { "am i good", "i" };
  const char *hyps2[] = { "i good", "i am" };
  AlWerCounts c;
  AlWerMeasures m;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      measure (&cases[i].ref, &cases[i].hyp, 1, TRUE, &c, &m);
      g_assert_cmpfloat_with_epsilon (m.wer, cases[i].cer, 1e-12);
    }

  /* Pooled over sentences; the counts are jiwer's return_dict. */
  measure (refs, hyps, 2, TRUE, &c, &m);
  g_assert_cmpfloat_with_epsilon (m.wer, 0.7, 1e-12);
  g_assert_cmpint (c.hits, ==, 6);
  g_assert_cmpint (c.substitutions, ==, 1);
  g_assert_cmpint (c.deletions, ==, 3);
  g_assert_cmpint (c.insertions, ==, 3);
  measure (refs, (const char *[]) { "i am", "i good" }, 2, TRUE, &c, &m);
  g_assert_cmpfloat_with_epsilon (m.wer, 0.6, 1e-12);
  measure (refs2, hyps2, 2, TRUE, &c, &m);
  g_assert_cmpfloat_with_epsilon (m.wer, 0.6, 1e-12);
}

static void
test_normalize (void)
{
  g_autofree char *a = al_text_normalize ("  Hallo, [onverstaanbaar]  Wereld!  ",
                                          AL_TEXT_FOR_PEOPLE);
  g_autofree char *b = al_text_normalize ("Ça va? «Oui» [inaudible]", AL_TEXT_STRIP_PUNCTUATION);
  g_autofree char *c = al_text_normalize ("ÉCOLE Été", AL_TEXT_FOLD_ASCII);
  g_autofree char *d = al_text_normalize ("don't  stop", AL_TEXT_STRIP_PUNCTUATION |
                                          AL_TEXT_COLLAPSE_SPACES);

  g_assert_cmpstr (a, ==, "hallo wereld");
  /* Brackets are punctuation too, so stripping alone keeps the word. */
  g_assert_cmpstr (b, ==, "Ça va Oui inaudible");
  g_assert_cmpstr (c, ==, "École Été");
  g_assert_cmpstr (d, ==, "dont stop");
}

/* Ties in sclite's alignment, checked against sclite 2.4.10 by hand: with
 * substitution 4 and insertion/deletion 3, "a b c" / "x y a" is three
 * substitutions (12) rather than two insertions, a hit and two deletions
 * (also 12), and "the cat sat" / "the hat" deletes "cat" and substitutes
 * "sat". */
static void
test_sclite_ties (void)
{
  g_autoptr (AlAligner) sc = al_aligner_new (AL_ALIGN_SCLITE);
  g_autoptr (AlAligner) lev = al_aligner_new (AL_ALIGN_JIWER);
  g_autoptr (GArray) r = g_array_new (FALSE, FALSE, sizeof (AlToken));
  g_autoptr (GArray) h = g_array_new (FALSE, FALSE, sizeof (AlToken));
  g_autoptr (GArray) ops = g_array_new (FALSE, FALSE, sizeof (AlEditOp));
  AlWerCounts c = { 0 };

  al_text_words ("a b c", r);
  al_text_words ("x y a", h);
  g_assert_true (al_aligner_align (sc, (AlToken *) (void *) r->data, r->len,
                                   (AlToken *) (void *) h->data, h->len, &c, ops, NULL));
  g_assert_cmpint (c.substitutions, ==, 3);
  g_assert_cmpint (c.hits + c.deletions + c.insertions, ==, 0);

  /* With unit costs the substitutions (3) are cheaper than the shift (4). */
  memset (&c, 0, sizeof c);
  g_assert_true (al_aligner_align (lev, (AlToken *) (void *) r->data, r->len,
                                   (AlToken *) (void *) h->data, h->len, &c, NULL, NULL));
  g_assert_cmpint (c.substitutions, ==, 3);

  memset (&c, 0, sizeof c);
  al_text_words ("the cat sat", r);
  al_text_words ("the hat", h);
  g_assert_true (al_aligner_align (sc, (AlToken *) (void *) r->data, r->len,
                                   (AlToken *) (void *) h->data, h->len, &c, ops, NULL));
  g_assert_cmpint (ops->len, ==, 3);
  g_assert_cmpint (g_array_index (ops, AlEditOp, 0).edit, ==, AL_EDIT_CORRECT);
  g_assert_cmpint (g_array_index (ops, AlEditOp, 1).edit, ==, AL_EDIT_DELETE);
  g_assert_cmpint (g_array_index (ops, AlEditOp, 2).edit, ==, AL_EDIT_SUBSTITUTE);
}

/* sclite drops "@", folds only A-Z, and pairs utterances by id in any
 * order; errors name the file and the line. */
static void
test_trn_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("annolab-trn-XXXXXX", NULL);
  g_autofree char *ref = g_build_filename (dir, "ref.trn", NULL);
  g_autofree char *hyp = g_build_filename (dir, "hyp.trn", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.trn", NULL);
  AlTrnOptions opt = { AL_ALIGN_SCLITE, 0, FALSE };
  AlTrnResult res;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (ref,
                                      "Hello World (s-1)\n\nÉcole été (s-2)\na b (s-3)\nc d (s-4)\n",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (hyp, "école ÉTÉ (s-2)\r\nhello @ world (s-1)\nc (s-4)\n",
                                      -1, NULL));
  g_assert_true (al_trn_score_files (ref, hyp, &opt, &res, &error));
  g_assert_no_error (error);
  g_assert_cmpint (res.words.utterances, ==, 3);
  g_assert_cmpint (res.missing, ==, 1);
  g_assert_cmpint (res.words.hits, ==, 3);
  g_assert_cmpint (res.words.substitutions, ==, 2);
  g_assert_cmpint (res.words.deletions, ==, 1);

  g_assert_true (g_file_set_contents (bad, "a b (s-1)\nno id here\n", -1, NULL));
  g_assert_false (al_trn_score_files (ref, bad, &opt, &res, &error));
  g_assert_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "bad.trn:2:"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (bad, "a b (s-9)\n", -1, NULL));
  g_assert_false (al_trn_score_files (ref, bad, &opt, &res, &error));
  g_assert_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "bad.trn:1: utterance (s-9)"));
  g_clear_error (&error);

  g_remove (ref);
  g_remove (hyp);
  g_remove (bad);
  g_rmdir (dir);
}

/* ---- ROVER ---- */

/* crowd-kit's ROVER test case. */
static void
test_rover_crowd_kit (void)
{
  const char *texts[] = { "a b c d", "b z d e", "b c d e f" };
  g_autofree char *merged = al_rover_merge (texts, 3);
  g_autofree char *one = al_rover_merge (texts, 1);
  g_autofree char *none = al_rover_merge (NULL, 0);

  g_assert_cmpstr (merged, ==, "b c d e");
  g_assert_cmpstr (one, ==, "a b c d");
  g_assert_cmpstr (none, ==, "");
}

static void
test_rover_majority (void)
{
  const char *texts[] = { "de kat zat op de mat", "de kat zit op de mat",
                          "de kat zat op mat", "de kat zat op de mat" };
  g_autofree char *merged = al_rover_merge (texts, 4);
  g_assert_cmpstr (merged, ==, "de kat zat op de mat");
}

/* ---- boxes ---- */

static void
test_iou (void)
{
  AlBox a = { 0, 0, 10, 10 }, b = { 5, 0, 10, 10 }, c = { 10, 0, 5, 5 }, d = { 2, 2, 4, 4 };
  g_assert_cmpfloat_with_epsilon (al_box_iou (&a, &b), 50.0 / 150, 1e-15);
  g_assert_cmpfloat (al_box_iou (&a, &c), ==, 0);  /* touching edges, no +1 */
  g_assert_cmpfloat_with_epsilon (al_box_iou (&a, &d), 16.0 / 100, 1e-15);
  g_assert_cmpfloat (al_box_iou (&a, &a), ==, 1);
}

static void
test_hungarian_matrix (void)
{
  /* Greedy takes 0.1 then 0.9 (sum 1.0); the optimum is 0.2 + 0.15. */
  const double cost[] = { 0.1, 0.2, 0.15, 0.9 };
  /* Three workers, two jobs: the row left out gets -1. */
  const double tall[] = { 5, 1, 1, 5, 2, 2 };
  int assign[3];

  g_assert_true (al_hungarian_solve (cost, 2, 2, assign));
  g_assert_cmpint (assign[0], ==, 1);
  g_assert_cmpint (assign[1], ==, 0);

  g_assert_true (al_hungarian_solve (tall, 3, 2, assign));
  g_assert_cmpint (assign[0], ==, 1);
  g_assert_cmpint (assign[1], ==, 0);
  g_assert_cmpint (assign[2], ==, -1);
}

/* Greedy matching would pair P1 with A (IoU 0.818) and leave P2 alone
 * (IoU with B 0.176); the optimal matching pairs P1-B (0.538) and P2-A
 * (0.538), both above 0.5. */
static void
test_box_match (void)
{
  AlBox gold[] = { { 0, 0, 10, 10, "coin" }, { 4, 0, 10, 10, "cup" } };
  AlBox pred[] = { { 1, 0, 10, 10, "cup" }, { -3, 0, 10, 10, "cup" }, { 50, 50, 5, 5, "coin" } };
  g_autoptr (AlBoxMatch) m = al_box_match (gold, 2, pred, 3, 0.5);
  g_autoptr (AlBoxMatch) strict = al_box_match (gold, 2, pred, 3, 0.6);
  g_autoptr (AlBoxMatch) empty = al_box_match (NULL, 0, NULL, 0, 0.5);

  g_assert_cmpint (m->matched, ==, 2);
  g_assert_cmpint (m->gold_to_pred[0], ==, 1);
  g_assert_cmpint (m->gold_to_pred[1], ==, 0);
  g_assert_cmpint (m->extra, ==, 1);
  g_assert_cmpint (m->missed, ==, 0);
  g_assert_cmpfloat_with_epsilon (m->precision, 2.0 / 3, 1e-12);
  g_assert_cmpfloat (m->recall, ==, 1);
  g_assert_cmpfloat_with_epsilon (m->f1, 0.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->mean_iou, 70.0 / 130, 1e-12);
  /* P2 ("cup") sits on A ("coin"); P1 ("cup") on B ("cup"). */
  g_assert_cmpfloat (m->label_accuracy, ==, 0.5);

  /* At 0.6 only P1-A (0.818) remains. */
  g_assert_cmpint (strict->matched, ==, 1);
  g_assert_cmpint (strict->gold_to_pred[0], ==, 0);

  g_assert_cmpint (empty->matched, ==, 0);
  g_assert_cmpfloat (empty->f1, ==, 1);
}

static void
test_box_consensus (void)
{
  /* Three workers: two draw nearly the same coin, the third draws it a bit
   * wider and adds a box nobody else saw. */
  AlBox boxes[] = {
    { 10, 10, 20, 20, "coin" },
    { 12, 10, 20, 20, "coin" }, { 80, 80, 5, 5, "cup" },
    { 10, 12, 24, 20, "cup" },
  };
  guint offsets[] = { 0, 1, 3, 4 };
  GArray *merged = al_box_consensus (boxes, offsets, 3, 0.5, AL_BOX_CONSENSUS_QUORUM);
  AlMergedBox *m;

  g_assert_cmpint (merged->len, ==, 1);
  m = &g_array_index (merged, AlMergedBox, 0);
  g_assert_cmpint (m->support, ==, 3);
  g_assert_cmpstr (m->box.label, ==, "coin");
  /* Medians of x1 {10,12,10}, y1 {10,10,12}, x2 {30,32,34}, y2 {30,30,32}. */
  g_assert_cmpfloat (m->box.x, ==, 10);
  g_assert_cmpfloat (m->box.y, ==, 10);
  g_assert_cmpfloat (m->box.w, ==, 22);
  g_assert_cmpfloat (m->box.h, ==, 20);
  al_merged_boxes_free (merged);
}

/* ---- COCO eval ---- */

static void
coco_check (const char   *gt,
            const char   *dt,
            const double  expected[AL_COCO_N_STATS])
{
  g_autoptr (json_t) g = json_loads (gt, 0, NULL);
  g_autoptr (json_t) d = json_loads (dt, 0, NULL);
  g_autoptr (GError) error = NULL;
  double stats[AL_COCO_N_STATS];
  int i;

  g_assert_nonnull (g);
  g_assert_nonnull (d);
  g_assert_true (al_coco_eval (g, d, stats, &error));
  g_assert_no_error (error);
  for (i = 0; i < AL_COCO_N_STATS; i++)
    {
      if (fabs (stats[i] - expected[i]) > 1e-9)
        g_error ("%s: got %.12f, expected %.12f", al_coco_stat_name (i), stats[i], expected[i]);
    }
}

/* One small box found exactly: every threshold has precision 1 at every
 * recall level. Nothing is medium or large, so those are -1. */
static void
test_coco_perfect (void)
{
  const double expected[] = { 1, 1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1 };
  coco_check ("{\"images\":[{\"id\":1}],\"categories\":[{\"id\":1,\"name\":\"coin\"}],"
              "\"annotations\":[{\"id\":1,\"image_id\":1,\"category_id\":1,"
              "\"bbox\":[0,0,10,10],\"area\":100,\"iscrowd\":0}]}",
              "[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,10,10],\"score\":0.9}]",
              expected);
}

/* Two small gold boxes G1, G2; detections by score: D1 = G1 (0.9), D2 a
 * false positive (0.8), D3 = G2 moved 2 px (IoU 80/120 = 0.667, 0.7).
 * A second category has a detection but no gold, so it is -1 and left out.
 *
 * IoU 0.50..0.65 (4 thresholds): tp 1,1,2 fp 0,1,1 -> recall .5,.5,1,
 * precision 1,.5,.667 -> envelope 1,.667,.667. Recall levels 0..0.50 (51)
 * get 1, 0.51..1 (50) get 2/3: AP_t = (51 + 100/3) / 101.
 * IoU 0.70..0.95 (6): D3 is a false positive, recall stays .5: levels
 * 0..0.50 get 1, the rest 0: AP_t = 51/101.
 * AP = (4 (51 + 100/3) + 6 * 51) / 1010; AP50 = (51 + 100/3) / 101;
 * AP75 = 51/101. All boxes are small: APs = AP; APm, APl = -1.
 * AR1: only D1 counts, recall .5 at every threshold. AR10 = AR100 =
 * (4 * 1 + 6 * 0.5) / 10 = 0.7 = ARs. */
static void
test_coco_two_boxes (void)
{
  double ap = (4 * (51 + 100.0 / 3) + 6 * 51) / 1010;
  const double expected[] = {
    ap, (51 + 100.0 / 3) / 101, 51.0 / 101, ap, -1, -1, 0.5, 0.7, 0.7, 0.7, -1, -1,
  };
  coco_check ("{\"images\":[{\"id\":7}],\"categories\":[{\"id\":1,\"name\":\"coin\"},"
              "{\"id\":2,\"name\":\"cup\"}],"
              "\"annotations\":["
              "{\"id\":1,\"image_id\":7,\"category_id\":1,\"bbox\":[0,0,10,10],\"area\":100,\"iscrowd\":0},"
              "{\"id\":2,\"image_id\":7,\"category_id\":1,\"bbox\":[100,100,10,10],\"area\":100,\"iscrowd\":0}]}",
              "[{\"image_id\":7,\"category_id\":1,\"bbox\":[0,0,10,10],\"score\":0.9},"
              "{\"image_id\":7,\"category_id\":1,\"bbox\":[50,50,10,10],\"score\":0.8},"
              "{\"image_id\":7,\"category_id\":1,\"bbox\":[102,100,10,10],\"score\":0.7},"
              "{\"image_id\":7,\"category_id\":2,\"bbox\":[0,0,10,10],\"score\":0.5}]",
              expected);
}

/* A crowd region and one medium box. D1 (0.95) lies inside the crowd: its
 * IoU with a crowd is intersection / its own area = 1, so it is matched to
 * the crowd and ignored. D2 (0.9) is the medium box exactly. Precision at
 * D1 is 0/eps = 0 but the envelope lifts it to 1: AP = 1. Small and large
 * have no gold that counts: -1. AR1 looks at D1 only, which is ignored:
 * recall 0. */
static void
test_coco_crowd (void)
{
  const double expected[] = { 1, 1, 1, -1, 1, -1, 0, 1, 1, -1, 1, -1 };
  coco_check ("{\"images\":[{\"id\":1}],\"categories\":[{\"id\":3,\"name\":\"people\"}],"
              "\"annotations\":["
              "{\"id\":10,\"image_id\":1,\"category_id\":3,\"bbox\":[0,0,100,100],\"area\":10000,\"iscrowd\":1},"
              "{\"id\":11,\"image_id\":1,\"category_id\":3,\"bbox\":[200,200,50,50],\"area\":2500,\"iscrowd\":0}]}",
              "[{\"image_id\":1,\"category_id\":3,\"bbox\":[10,10,20,20],\"score\":0.95},"
              "{\"image_id\":1,\"category_id\":3,\"bbox\":[200,200,50,50],\"score\":0.9}]",
              expected);
}

static void
test_coco_errors (void)
{
  g_autoptr (json_t) g = json_loads ("{\"images\":[{\"id\":1}],\"categories\":[],\"annotations\":[]}",
                                     0, NULL);
  g_autoptr (json_t) d = json_loads ("[{\"image_id\":2,\"category_id\":1,\"bbox\":[0,0,1,1],"
                                     "\"score\":1}]", 0, NULL);
  g_autoptr (GError) error = NULL;
  double stats[AL_COCO_N_STATS];

  g_assert_false (al_coco_eval (g, d, stats, &error));
  g_assert_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "image 2"));
}

/* ---- worker quality ---- */

static void
test_worker_quality (void)
{
  AlGoldScore s[24];
  AlWorkerQuality q;
  int i;

  q = al_worker_quality (NULL, 0, 20, 2);
  g_assert_cmpfloat (q.estimate, ==, 0.5);
  g_assert_cmpint (q.n, ==, 0);

  /* Given newest first: the order of the array must not matter. Times
   * 23..0; the 4 oldest (scores 0) fall out of the window of 20. */
  for (i = 0; i < 24; i++)
    {
      s[i].time = 23 - i;
      s[i].score = s[i].time < 4 ? 0.0 : s[i].time < 14 ? 0.5 : 1.0;
    }
  q = al_worker_quality (s, 24, 20, 2);
  g_assert_cmpint (q.n, ==, 20);
  /* Sum = 10 * 0.5 + 10 * 1 = 15; (2 + 15) / (4 + 20). */
  g_assert_cmpfloat_with_epsilon (q.estimate, 17.0 / 24, 1e-12);
  /* Newer half all 1, older half all 0.5. */
  g_assert_cmpfloat_with_epsilon (q.trend, 0.5, 1e-12);

  s[0].score = 7;  /* clamped to 1 */
  q = al_worker_quality (s, 1, 20, 2);
  g_assert_cmpfloat_with_epsilon (q.estimate, 3.0 / 5, 1e-12);
  g_assert_cmpfloat (q.trend, ==, 0);
}

/* ---- scoring and feedback ---- */

static json_t *
score_task (const char *task_json,
            const char *result_json)
{
  g_autoptr (json_t) obj = json_loads (task_json, 0, NULL);
  g_autoptr (json_t) result = json_loads (result_json, 0, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) task = al_task_new_from_json (obj, "/tmp", &error);

  g_assert_no_error (error);
  return al_quality_score (task, result, NULL);
}

static const char *
code_of (json_t     *score,
         const char *part)
{
  return json_string_value (json_object_get (json_object_get (json_object_get (score, "feedback"),
                                                              part), "code"));
}

static void
test_feedback_transcript (void)
{
  const char *task = "{\"id\":\"t1\",\"kind\":\"transcribe\",\"audio\":\"/a.wav\","
                     "\"gold\":{\"text\":\"De kat zat gisteren op de mat.\"}}";
  g_autoptr (json_t) end = score_task (task, "{\"text\":\"de kat zat gisteren\"}");
  g_autoptr (json_t) spell = score_task (task, "{\"text\":\"De kat zat gisteren op de matt\"}");
  g_autoptr (json_t) perfect = score_task (task, "{\"text\":\"de kat, zat gisteren op de mat\"}");
  g_autoptr (json_t) empty = score_task (task, "{\"text\":\"\"}");
  g_autoptr (json_t) extra = score_task (task, "{\"text\":\"de kat zat gisteren eh op de mat\"}");
  g_autoptr (json_t) heard = score_task (task, "{\"text\":\"de hond zat gisteren op de mat\"}");
  g_autofree char *nl = NULL;
  g_autofree char *en = NULL;

  g_assert_cmpstr (json_string_value (json_object_get (end, "kind")), ==, "transcribe");
  g_assert_cmpint (json_integer_value (json_object_get (end, "d")), ==, 3);
  g_assert_cmpint (json_integer_value (json_object_get (end, "c")), ==, 4);
  g_assert_cmpfloat_with_epsilon (json_real_value (json_object_get (end, "wer")), 3.0 / 7, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_real_value (json_object_get (end, "score")), 4.0 / 7, 1e-12);
  g_assert_cmpstr (code_of (end, "tip"), ==, "missing_words_at_end");
  g_assert_cmpstr (code_of (end, "well"), ==, "words_right");

  nl = al_feedback_render (json_object_get (end, "feedback"), "nl");
  en = al_feedback_render (json_object_get (end, "feedback"), "en");
  g_assert_cmpstr (nl, ==, "Je had vier van de zeven woorden goed. Aan het eind ontbraken drie "
                   "woorden; luister het laatste stuk nog eens op halve snelheid.");
  g_assert_cmpstr (en, ==, "You got four of the seven words right. At the end, three words were "
                   "missing; listen to the last part again at half speed.");

  g_assert_cmpstr (code_of (spell, "tip"), ==, "check_spelling");
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (json_object_get (spell, "feedback"), "tip"), "typed")), ==, "matt");
  g_assert_cmpstr (code_of (perfect, "well"), ==, "all_words_right");
  g_assert_cmpstr (code_of (perfect, "tip"), ==, "keep_it_up");
  g_assert_cmpfloat (json_real_value (json_object_get (perfect, "score")), ==, 1);
  g_assert_cmpstr (code_of (empty, "tip"), ==, "nothing_typed");
  g_assert_cmpfloat (json_real_value (json_object_get (empty, "score")), ==, 0);
  g_assert_cmpstr (code_of (extra, "tip"), ==, "extra_words");
  g_assert_cmpstr (code_of (heard, "tip"), ==, "misheard_word");
  {
    g_autofree char *text = al_feedback_render (json_object_get (heard, "feedback"), "nl");
    g_assert_cmpstr (text, ==, "Je had zes van de zeven woorden goed. Waar jij ‘hond’ typte, zei de "
                     "spreker ‘kat’. Luister dat stukje nog eens.");
  }
}

static void
test_feedback_boxes (void)
{
  const char *task = "{\"id\":\"b1\",\"kind\":\"bbox\",\"image\":\"a.png\","
                     "\"labels\":[\"munt\",\"beker\"],\"gold\":{\"boxes\":["
                     "{\"label\":\"munt\",\"x\":10,\"y\":10,\"w\":50,\"h\":50},"
                     "{\"label\":\"beker\",\"x\":200,\"y\":40,\"w\":60,\"h\":80}]}}";
  g_autoptr (json_t) loose = score_task (task, "{\"boxes\":["
                                         "{\"label\":\"munt\",\"x\":10,\"y\":10,\"w\":62,\"h\":50},"
                                         "{\"label\":\"beker\",\"x\":200,\"y\":40,\"w\":60,\"h\":80}]}");
  g_autoptr (json_t) missed = score_task (task, "{\"boxes\":["
                                          "{\"label\":\"beker\",\"x\":201,\"y\":40,\"w\":60,\"h\":80}]}");
  g_autoptr (json_t) label = score_task (task, "{\"boxes\":["
                                         "{\"label\":\"beker\",\"x\":10,\"y\":10,\"w\":50,\"h\":50},"
                                         "{\"label\":\"beker\",\"x\":200,\"y\":40,\"w\":60,\"h\":80}]}");
  g_autoptr (json_t) tight = score_task (task, "{\"boxes\":["
                                         "{\"label\":\"munt\",\"x\":10,\"y\":18,\"w\":50,\"h\":42},"
                                         "{\"label\":\"beker\",\"x\":200,\"y\":40,\"w\":60,\"h\":80}]}");
  g_autoptr (json_t) none = score_task (task, "{\"boxes\":[]}");
  json_t *tip = json_object_get (json_object_get (loose, "feedback"), "tip");
  g_autofree char *nl = al_feedback_render (json_object_get (loose, "feedback"), "nl");
  g_autofree char *nl_missed = al_feedback_render (json_object_get (missed, "feedback"), "nl");

  g_assert_cmpstr (json_string_value (json_object_get (loose, "kind")), ==, "bbox");
  g_assert_cmpint (json_integer_value (json_object_get (loose, "matched")), ==, 2);
  g_assert_cmpfloat (json_real_value (json_object_get (loose, "f1")), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_real_value (json_object_get (loose, "mean_iou")),
                                  (2500.0 / 3100 + 1) / 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_real_value (json_object_get (loose, "score")),
                                  (2500.0 / 3100 + 1) / 2, 1e-12);
  g_assert_cmpstr (code_of (loose, "tip"), ==, "box_too_loose");
  g_assert_cmpstr (json_string_value (json_object_get (tip, "side")), ==, "right");
  g_assert_cmpstr (json_string_value (json_object_get (tip, "label")), ==, "munt");
  g_assert_cmpint (json_integer_value (json_object_get (tip, "pixels")), ==, 12);
  g_assert_cmpstr (nl, ==, "Je hebt alle objecten gevonden. De box om de munt was iets te ruim "
                   "aan de rechterkant (ongeveer 12 pixels).");

  g_assert_cmpstr (code_of (missed, "tip"), ==, "missed_object");
  g_assert_cmpint (json_integer_value (json_object_get (missed, "missed")), ==, 1);
  g_assert_cmpstr (code_of (missed, "well"), ==, "labels_right");
  g_assert_cmpstr (nl_missed, ==, "Je koos voor elke box het goede label. Er is nog een munt "
                   "zonder box. Kijk nog één keer over de hele foto.");

  g_assert_cmpstr (code_of (label, "tip"), ==, "wrong_label");
  g_assert_cmpfloat (json_real_value (json_object_get (label, "label_accuracy")), ==, 0.5);
  g_assert_cmpfloat_with_epsilon (json_real_value (json_object_get (label, "score")), 0.75, 1e-12);

  g_assert_cmpstr (code_of (tight, "tip"), ==, "box_too_tight");
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (json_object_get (tight, "feedback"), "tip"), "side")), ==, "top");

  g_assert_cmpstr (code_of (none, "tip"), ==, "no_boxes");
  g_assert_cmpfloat (json_real_value (json_object_get (none, "score")), ==, 0);
}

/* A box drawn too small, too large or beside the object is named as such,
 * not as a missed object; each difference gets its own sentence. */
static void
test_feedback_box_differences (void)
{
  const char *task = "{\"id\":\"b2\",\"kind\":\"bbox\",\"image\":\"a.png\","
                     "\"labels\":[\"paard\",\"kopje\"],\"gold\":{\"boxes\":["
                     "{\"label\":\"paard\",\"x\":20,\"y\":10,\"w\":370,\"h\":300}]}}";
  /* A 20% box in the middle of the horse: inside it, but far too small. */
  g_autoptr (json_t) small = score_task (task, "{\"boxes\":["
                                         "{\"label\":\"paard\",\"x\":160,\"y\":130,\"w\":80,\"h\":65}]}");
  g_autoptr (json_t) large = score_task (task, "{\"boxes\":["
                                         "{\"label\":\"paard\",\"x\":0,\"y\":0,\"w\":600,\"h\":500}]}");
  g_autoptr (json_t) left = score_task (task, "{\"boxes\":["
                                        "{\"label\":\"paard\",\"x\":-230,\"y\":10,\"w\":370,\"h\":300}]}");
  g_autoptr (json_t) both = score_task (task, "{\"boxes\":["
                                        "{\"label\":\"kopje\",\"x\":22,\"y\":10,\"w\":370,\"h\":300},"
                                        "{\"label\":\"kopje\",\"x\":500,\"y\":400,\"w\":20,\"h\":20}]}");
  json_t *fb = json_object_get (small, "feedback");
  g_autofree char *en = al_feedback_render (fb, "en");
  g_autofree char *nl = al_feedback_render_differences (fb, "nl");
  g_autofree char *en_large = al_feedback_render_differences (json_object_get (large, "feedback"), "en");
  g_autofree char *en_left = al_feedback_render_differences (json_object_get (left, "feedback"), "en");
  g_autofree char *en_both = al_feedback_render_differences (json_object_get (both, "feedback"), "en");

  g_assert_cmpint (json_integer_value (json_object_get (small, "missed")), ==, 1);
  g_assert_cmpstr (code_of (small, "tip"), ==, "box_too_small");
  g_assert_nonnull (strstr (en, "The box around the paard was too small"));
  g_assert_null (strstr (en, "without a box"));
  g_assert_cmpstr (nl, ==, "De box om de paard was te klein: maak hem groter tot de hele paard erin past.");

  g_assert_cmpstr (code_of (large, "tip"), ==, "box_too_large");
  g_assert_cmpstr (en_large, ==, "The box around the paard was too large: make it smaller until it "
                   "just fits around the paard.");
  g_assert_cmpstr (code_of (left, "tip"), ==, "box_shifted");
  g_assert_cmpstr (en_left, ==, "The box around the paard was too far to the left: move it to the right.");
  /* One line per difference: the label, then the box where there is nothing. */
  g_assert_cmpstr (en_both, ==, "The box around the paard had the label “kopje”.\n"
                   "There was a box where there is no object.");
}

static void
test_no_gold (void)
{
  g_autoptr (json_t) s = score_task ("{\"id\":\"t\",\"kind\":\"transcribe\",\"audio\":\"/a.wav\"}",
                                     "{\"text\":\"x\"}");
  g_autoptr (json_t) unknown = json_pack ("{s:{s:s},s:{s:s}}", "well", "code", "no_such_code",
                                          "tip", "code", "keep_it_up");
  g_autofree char *text = al_feedback_render (unknown, "nl");

  g_assert_null (s);
  g_assert_cmpstr (text, ==, "Ga zo door.");
}

/* The store calls the scorer on submit and keeps its answer. */
static void
test_store_scorer (void)
{
  g_autofree char *dir = g_dir_make_tmp ("annolab-quality-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "queue.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlStore) store = al_store_open (db, &error);
  g_autoptr (json_t) obj = json_loads ("{\"id\":\"t1\",\"kind\":\"transcribe\","
                                       "\"audio\":\"/a.wav\",\"language\":\"nl\","
                                       "\"gold\":{\"text\":\"een twee drie vier\"}}", 0, NULL);
  g_autoptr (GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) al_task_unref);
  g_autoptr (AlUser) ann = NULL;
  g_autoptr (AlTask) leased = NULL;
  g_autoptr (json_t) result = json_pack ("{s:s}", "text", "een twee");
  g_autoptr (json_t) response = NULL;
  json_t *score;
  g_autofree char *words = NULL;
  g_autofree char *cmd = NULL;

  g_assert_no_error (error);
  g_ptr_array_add (tasks, al_task_new_from_json (obj, dir, &error));
  g_assert_no_error (error);
  al_store_set_scorer (store, al_quality_score, NULL);
  g_assert_true (al_store_set_meta (store, "gold_share", "1", &error));
  g_assert_true (al_store_import_tasks (store, tasks, "demo", "jsonl", &error));
  ann = al_store_ensure_user (store, "ann", "participant", NULL, &error);
  g_assert_no_error (error);
  leased = al_store_lease (store, ann, &error);
  g_assert_no_error (error);
  g_assert_nonnull (leased);
  response = al_store_submit (store, ann, leased->lease_id, "k1", result, 1000, &error);
  g_assert_no_error (error);

  score = json_object_get (response, "score");
  g_assert_cmpfloat (json_real_value (json_object_get (score, "wer")), ==, 0.5);
  g_assert_cmpstr (code_of (score, "tip"), ==, "missing_words_at_end");
  words = al_feedback_render (json_object_get (score, "feedback"), "nl");
  g_assert_cmpstr (words, ==, "Je had twee van de vier woorden goed. Aan het eind ontbraken "
                   "twee woorden; luister het laatste stuk nog eens op halve snelheid.");

  g_clear_pointer (&store, al_store_unref);
  cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/quality/jiwer/measures", test_jiwer_measures);
  g_test_add_func ("/quality/jiwer/empty-reference", test_jiwer_empty_reference);
  g_test_add_func ("/quality/jiwer/cer", test_jiwer_cer);
  g_test_add_func ("/quality/text/normalize", test_normalize);
  g_test_add_func ("/quality/sclite/ties", test_sclite_ties);
  g_test_add_func ("/quality/trn/files", test_trn_files);
  g_test_add_func ("/quality/rover/crowd-kit", test_rover_crowd_kit);
  g_test_add_func ("/quality/rover/majority", test_rover_majority);
  g_test_add_func ("/quality/boxes/iou", test_iou);
  g_test_add_func ("/quality/boxes/hungarian", test_hungarian_matrix);
  g_test_add_func ("/quality/boxes/match", test_box_match);
  g_test_add_func ("/quality/boxes/consensus", test_box_consensus);
  g_test_add_func ("/quality/coco/perfect", test_coco_perfect);
  g_test_add_func ("/quality/coco/two-boxes", test_coco_two_boxes);
  g_test_add_func ("/quality/coco/crowd", test_coco_crowd);
  g_test_add_func ("/quality/coco/errors", test_coco_errors);
  g_test_add_func ("/quality/worker", test_worker_quality);
  g_test_add_func ("/quality/feedback/transcript", test_feedback_transcript);
  g_test_add_func ("/quality/feedback/boxes", test_feedback_boxes);
  g_test_add_func ("/quality/feedback/box-differences", test_feedback_box_differences);
  g_test_add_func ("/quality/feedback/no-gold", test_no_gold);
  g_test_add_func ("/quality/store", test_store_scorer);

  return g_test_run ();
}
