/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "al-box-model.h"

/* A 4000 × 3000 photo with three labels, like a box task of the lab. */
#define W 4000.0
#define H 3000.0

static void
assert_box (AlBoxModel *model, guint index, double x, double y, double w, double h, int label)
{
  const AlBox *b = al_box_model_get (model, index);

  g_assert_nonnull (b);
  g_assert_cmpfloat_with_epsilon (b->x, x, 1e-9);
  g_assert_cmpfloat_with_epsilon (b->y, y, 1e-9);
  g_assert_cmpfloat_with_epsilon (b->w, w, 1e-9);
  g_assert_cmpfloat_with_epsilon (b->h, h, 1e-9);
  g_assert_cmpint (b->label, ==, label);
}

static void
assert_inside (AlBoxModel *model)
{
  for (guint i = 0; i < al_box_model_get_n (model); i++)
    {
      const AlBox *b = al_box_model_get (model, i);
      g_assert_true (isfinite (b->x) && isfinite (b->y) && isfinite (b->w) && isfinite (b->h));
      g_assert_cmpfloat (b->x, >=, 0);
      g_assert_cmpfloat (b->y, >=, 0);
      g_assert_cmpfloat (b->w, >=, AL_BOX_MIN_SIZE);
      g_assert_cmpfloat (b->h, >=, AL_BOX_MIN_SIZE);
      g_assert_cmpfloat (b->x + b->w, <=, al_box_model_get_width (model));
      g_assert_cmpfloat (b->y + b->h, <=, al_box_model_get_height (model));
    }
}

static void
test_new (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  g_assert_cmpfloat (al_box_model_get_width (model), ==, W);
  g_assert_cmpfloat (al_box_model_get_height (model), ==, H);
  g_assert_cmpuint (al_box_model_get_n_labels (model), ==, 3);
  g_assert_cmpuint (al_box_model_get_n (model), ==, 0);
  g_assert_cmpint (al_box_model_get_selected (model), ==, -1);
  g_assert_false (al_box_model_can_undo (model));
  g_assert_false (al_box_model_can_redo (model));
  g_assert_false (al_box_model_undo (model));
  g_assert_false (al_box_model_redo (model));
  al_box_model_free (NULL);
}

static void
test_new_invalid (void)
{
  if (g_test_subprocess ())
    {
      g_assert_null (al_box_model_new (0, 100, 1));
      g_assert_null (al_box_model_new (100, -1, 1));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*image_width > 0*");
}

static void
test_add_centered (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  g_assert_cmpint (al_box_model_add_centered (model), ==, 0);
  assert_box (model, 0, 0.4 * W, 0.4 * H, 0.2 * W, 0.2 * H, -1);
  g_assert_cmpint (al_box_model_get_selected (model), ==, 0);
  g_assert_cmpint (al_box_model_add_centered (model), ==, 1);
  g_assert_cmpint (al_box_model_get_selected (model), ==, 1);
  g_assert_cmpuint (al_box_model_get_n (model), ==, 2);
}

static void
test_add_clamps (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  /* Hanging over the right and bottom borders: pushed back in. */
  al_box_model_add (model, &(AlBox){ 3900, 2950, 400, 300, 1 });
  assert_box (model, 0, 3600, 2700, 400, 300, 1);
  /* Before the left and top borders. */
  al_box_model_add (model, &(AlBox){ -50, -10, 100, 100, 0 });
  assert_box (model, 1, 0, 0, 100, 100, 0);
  /* Larger than the image: the whole image. */
  al_box_model_add (model, &(AlBox){ -10, -10, 2 * W, 2 * H, 2 });
  assert_box (model, 2, 0, 0, W, H, 2);
  /* Empty or negative sizes become the minimum size. */
  al_box_model_add (model, &(AlBox){ 10, 10, 0, -5, 0 });
  assert_box (model, 3, 10, 10, AL_BOX_MIN_SIZE, AL_BOX_MIN_SIZE, 0);
  /* Not a number, infinite: a small box at the origin, not garbage. */
  al_box_model_add (model, &(AlBox){ NAN, INFINITY, NAN, -INFINITY, 0 });
  assert_box (model, 4, 0, 0, AL_BOX_MIN_SIZE, AL_BOX_MIN_SIZE, 0);
  /* A label that does not exist is dropped, not stored. */
  al_box_model_add (model, &(AlBox){ 100, 100, 10, 10, 3 });
  assert_box (model, 5, 100, 100, 10, 10, -1);
  al_box_model_add (model, &(AlBox){ 100, 100, 10, 10, -7 });
  assert_box (model, 6, 100, 100, 10, 10, -1);
  assert_inside (model);
}

static void
test_get_out_of_range (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);
      g_assert_null (al_box_model_get (model, 0));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*index < model->boxes->len*");
}

static void
test_set_box (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  al_box_model_add_centered (model);
  al_box_model_add_centered (model);
  al_box_model_set_box (model, 0, &(AlBox){ 10, 20, 30, 40, 2 });
  assert_box (model, 0, 10, 20, 30, 40, 2);
  /* set_box does not move the selection. */
  g_assert_cmpint (al_box_model_get_selected (model), ==, 1);
  al_box_model_set_box (model, 0, &(AlBox){ W - 5, H - 5, 30, 40, 9 });
  assert_box (model, 0, W - 30, H - 40, 30, 40, -1);
  assert_inside (model);
}

static void
test_set_box_out_of_range (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);
      al_box_model_add_centered (model);
      al_box_model_set_box (model, 1, &(AlBox){ 0, 0, 10, 10, 0 });
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*index < model->boxes->len*");
}

static void
test_select (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  al_box_model_add_centered (model);
  al_box_model_add_centered (model);
  al_box_model_select (model, 0);
  g_assert_cmpint (al_box_model_get_selected (model), ==, 0);
  al_box_model_select (model, 2);
  g_assert_cmpint (al_box_model_get_selected (model), ==, -1);
  al_box_model_select (model, 1);
  al_box_model_select (model, -5);
  g_assert_cmpint (al_box_model_get_selected (model), ==, -1);
  /* Selecting is not an edit: nothing new to undo. */
  g_assert_true (al_box_model_undo (model));
  g_assert_true (al_box_model_undo (model));
  g_assert_false (al_box_model_undo (model));
}

static void
test_select_next (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  g_assert_false (al_box_model_select_next (model, 1));
  g_assert_false (al_box_model_select_next (model, -1));

  /* Added out of order: bottom, top right, top left (1% lower: same row),
   * middle. Reading order is 2, 1, 3, 0. */
  al_box_model_add (model, &(AlBox){ 100, 2500, 100, 100, -1 });
  al_box_model_add (model, &(AlBox){ 3000, 100, 100, 100, -1 });
  al_box_model_add (model, &(AlBox){ 200, 130, 100, 100, -1 });
  al_box_model_add (model, &(AlBox){ 2000, 1500, 100, 100, -1 });

  al_box_model_select (model, -1);
  g_assert_true (al_box_model_select_next (model, 1));
  g_assert_cmpint (al_box_model_get_selected (model), ==, 2);
  g_assert_true (al_box_model_select_next (model, 1));
  g_assert_cmpint (al_box_model_get_selected (model), ==, 1);
  g_assert_true (al_box_model_select_next (model, 1));
  g_assert_cmpint (al_box_model_get_selected (model), ==, 3);
  g_assert_true (al_box_model_select_next (model, 1));
  g_assert_cmpint (al_box_model_get_selected (model), ==, 0);
  /* Past the last box: FALSE, so Tab can leave the canvas. */
  g_assert_false (al_box_model_select_next (model, 1));
  g_assert_cmpint (al_box_model_get_selected (model), ==, 0);

  g_assert_true (al_box_model_select_next (model, -1));
  g_assert_cmpint (al_box_model_get_selected (model), ==, 3);
  g_assert_true (al_box_model_select_next (model, -1));
  g_assert_true (al_box_model_select_next (model, -1));
  g_assert_cmpint (al_box_model_get_selected (model), ==, 2);
  g_assert_false (al_box_model_select_next (model, -1));

  /* With nothing selected, backwards starts at the last box. */
  al_box_model_select (model, -1);
  g_assert_true (al_box_model_select_next (model, -1));
  g_assert_cmpint (al_box_model_get_selected (model), ==, 0);
}

static void
test_select_next_same_place (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  /* Two boxes on the same spot are both reachable, in the order added. */
  al_box_model_add_centered (model);
  al_box_model_add_centered (model);
  al_box_model_select (model, -1);
  g_assert_true (al_box_model_select_next (model, 1));
  g_assert_cmpint (al_box_model_get_selected (model), ==, 0);
  g_assert_true (al_box_model_select_next (model, 1));
  g_assert_cmpint (al_box_model_get_selected (model), ==, 1);
  g_assert_false (al_box_model_select_next (model, 1));
  g_assert_true (al_box_model_select_next (model, -1));
  g_assert_cmpint (al_box_model_get_selected (model), ==, 0);
}

static void
test_move (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  /* Without a selection nothing moves and nothing is recorded. */
  al_box_model_move (model, 10, 10);
  g_assert_false (al_box_model_can_undo (model));

  al_box_model_add_centered (model);
  al_box_model_move (model, 40, -30);
  assert_box (model, 0, 1640, 1170, 800, 600, -1);
  al_box_model_move (model, 1, 1);
  assert_box (model, 0, 1641, 1171, 800, 600, -1);
  al_box_model_move (model, -0.5, 0);
  assert_box (model, 0, 1640.5, 1171, 800, 600, -1);

  al_box_model_select (model, -1);
  al_box_model_move (model, 100, 100);
  al_box_model_select (model, 0);
  assert_box (model, 0, 1640.5, 1171, 800, 600, -1);
}

static void
test_move_clamps (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  al_box_model_add_centered (model);
  al_box_model_move (model, -1e6, -1e6);
  assert_box (model, 0, 0, 0, 800, 600, -1);
  al_box_model_move (model, 1e6, 1e6);
  assert_box (model, 0, W - 800, H - 600, 800, 600, -1);
  /* Only the blocked direction stops: x stays at the border, y moves. */
  al_box_model_move (model, 10, -10);
  assert_box (model, 0, W - 800, H - 610, 800, 600, -1);
  al_box_model_move (model, NAN, INFINITY);
  assert_box (model, 0, W - 800, H - 610, 800, 600, -1);
  assert_inside (model);
}

static void
test_move_edges (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  al_box_model_add_centered (model); /* 1600, 1200, 800, 600 */
  al_box_model_move_edge (model, AL_EDGE_RIGHT, 40);
  assert_box (model, 0, 1600, 1200, 840, 600, -1);
  al_box_model_move_edge (model, AL_EDGE_BOTTOM, 30);
  assert_box (model, 0, 1600, 1200, 840, 630, -1);
  /* Left and top edges move on their own: right and bottom stay put. */
  al_box_model_move_edge (model, AL_EDGE_LEFT, -40);
  assert_box (model, 0, 1560, 1200, 880, 630, -1);
  al_box_model_move_edge (model, AL_EDGE_TOP, 30);
  assert_box (model, 0, 1560, 1230, 880, 600, -1);
  al_box_model_move_edge (model, AL_EDGE_RIGHT, -80);
  assert_box (model, 0, 1560, 1230, 800, 600, -1);
  al_box_model_move_edge (model, AL_EDGE_BOTTOM, -100);
  assert_box (model, 0, 1560, 1230, 800, 500, -1);
}

static void
test_move_edges_clamp (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  al_box_model_add_centered (model); /* 1600, 1200, 800, 600 */
  /* Out to the image borders and no further. */
  al_box_model_move_edge (model, AL_EDGE_LEFT, -1e6);
  assert_box (model, 0, 0, 1200, 2400, 600, -1);
  al_box_model_move_edge (model, AL_EDGE_TOP, -1e6);
  assert_box (model, 0, 0, 0, 2400, 1800, -1);
  al_box_model_move_edge (model, AL_EDGE_RIGHT, 1e6);
  assert_box (model, 0, 0, 0, W, 1800, -1);
  al_box_model_move_edge (model, AL_EDGE_BOTTOM, 1e6);
  assert_box (model, 0, 0, 0, W, H, -1);

  /* An edge pushed past the opposite one stops at the minimum size. */
  al_box_model_move_edge (model, AL_EDGE_LEFT, 1e6);
  assert_box (model, 0, W - AL_BOX_MIN_SIZE, 0, AL_BOX_MIN_SIZE, H, -1);
  al_box_model_move_edge (model, AL_EDGE_TOP, 1e6);
  assert_box (model, 0, W - AL_BOX_MIN_SIZE, H - AL_BOX_MIN_SIZE, AL_BOX_MIN_SIZE, AL_BOX_MIN_SIZE,
              -1);
  al_box_model_move_edge (model, AL_EDGE_RIGHT, -1e6);
  al_box_model_move_edge (model, AL_EDGE_BOTTOM, -1e6);
  assert_box (model, 0, W - AL_BOX_MIN_SIZE, H - AL_BOX_MIN_SIZE, AL_BOX_MIN_SIZE, AL_BOX_MIN_SIZE,
              -1);
  assert_inside (model);

  al_box_model_set_box (model, 0, &(AlBox){ 100, 100, 50, 50, -1 });
  al_box_model_move_edge (model, AL_EDGE_RIGHT, -1e6);
  assert_box (model, 0, 100, 100, AL_BOX_MIN_SIZE, 50, -1);
  al_box_model_move_edge (model, AL_EDGE_BOTTOM, -1e6);
  assert_box (model, 0, 100, 100, AL_BOX_MIN_SIZE, AL_BOX_MIN_SIZE, -1);
  al_box_model_move_edge (model, AL_EDGE_BOTTOM, NAN);
  assert_box (model, 0, 100, 100, AL_BOX_MIN_SIZE, AL_BOX_MIN_SIZE, -1);

  /* Without a selection nothing changes. */
  al_box_model_select (model, -1);
  al_box_model_move_edge (model, AL_EDGE_RIGHT, 100);
  assert_box (model, 0, 100, 100, AL_BOX_MIN_SIZE, AL_BOX_MIN_SIZE, -1);
}

static void
test_labels (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  g_assert_false (al_box_model_set_label (model, 0));
  al_box_model_add_centered (model);
  g_assert_true (al_box_model_set_label (model, 0));
  assert_box (model, 0, 1600, 1200, 800, 600, 0);
  g_assert_true (al_box_model_set_label (model, 2));
  assert_box (model, 0, 1600, 1200, 800, 600, 2);
  /* Out of range: refused, the label stays. */
  g_assert_false (al_box_model_set_label (model, 3));
  g_assert_false (al_box_model_set_label (model, 99));
  g_assert_false (al_box_model_set_label (model, -2));
  assert_box (model, 0, 1600, 1200, 800, 600, 2);
  /* -1 takes the label away again. */
  g_assert_true (al_box_model_set_label (model, -1));
  assert_box (model, 0, 1600, 1200, 800, 600, -1);
  al_box_model_select (model, -1);
  g_assert_false (al_box_model_set_label (model, 1));
  assert_box (model, 0, 1600, 1200, 800, 600, -1);
}

static void
test_labels_none (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 0);

  al_box_model_add (model, &(AlBox){ 0, 0, 10, 10, 0 });
  assert_box (model, 0, 0, 0, 10, 10, -1);
  g_assert_false (al_box_model_set_label (model, 0));
  g_assert_true (al_box_model_set_label (model, -1));
}

static void
test_delete (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  al_box_model_delete (model);
  g_assert_false (al_box_model_can_undo (model));
  for (int i = 0; i < 3; i++)
    al_box_model_add (model, &(AlBox){ 100 * i, 0, 10, 10, i });
  /* Deleting the middle box selects the one that took its place. */
  al_box_model_select (model, 1);
  al_box_model_delete (model);
  g_assert_cmpuint (al_box_model_get_n (model), ==, 2);
  assert_box (model, 1, 200, 0, 10, 10, 2);
  g_assert_cmpint (al_box_model_get_selected (model), ==, 1);
  /* Deleting the last box selects the one before it. */
  al_box_model_delete (model);
  g_assert_cmpint (al_box_model_get_selected (model), ==, 0);
  al_box_model_delete (model);
  g_assert_cmpuint (al_box_model_get_n (model), ==, 0);
  g_assert_cmpint (al_box_model_get_selected (model), ==, -1);
  al_box_model_delete (model);
  g_assert_cmpuint (al_box_model_get_n (model), ==, 0);
}

static void
test_clear (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  al_box_model_add_centered (model);
  al_box_model_add_centered (model);
  al_box_model_undo (model);
  g_assert_true (al_box_model_can_undo (model));
  g_assert_true (al_box_model_can_redo (model));
  al_box_model_clear (model);
  g_assert_cmpuint (al_box_model_get_n (model), ==, 0);
  g_assert_cmpint (al_box_model_get_selected (model), ==, -1);
  /* A fresh start: there is nothing to undo into. */
  g_assert_false (al_box_model_undo (model));
  g_assert_false (al_box_model_redo (model));
}

/* Every kind of change, undone and redone one by one. */
static void
test_undo_redo_every_kind (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);
  struct
  {
    double x, y, w, h;
    int label;
    guint n;
    int selected;
  } states[8];
  int k = 0;

#define RECORD()                                                                                   \
  G_STMT_START                                                                                     \
  {                                                                                                \
    const AlBox *b_ = al_box_model_get (model, 0);                                                 \
    states[k].x = b_->x;                                                                           \
    states[k].y = b_->y;                                                                           \
    states[k].w = b_->w;                                                                           \
    states[k].h = b_->h;                                                                           \
    states[k].label = b_->label;                                                                   \
    states[k].n = al_box_model_get_n (model);                                                      \
    states[k].selected = al_box_model_get_selected (model);                                        \
    k++;                                                                                           \
  }                                                                                                \
  G_STMT_END

  al_box_model_add_centered (model); /* add */
  RECORD ();
  al_box_model_move (model, 40, 30); /* move */
  RECORD ();
  al_box_model_move_edge (model, AL_EDGE_RIGHT, 100); /* resize */
  RECORD ();
  al_box_model_move_edge (model, AL_EDGE_TOP, -50);
  RECORD ();
  al_box_model_set_label (model, 1); /* label */
  RECORD ();
  al_box_model_set_box (model, 0, &(AlBox){ 5, 6, 7, 8, 2 }); /* set_box */
  RECORD ();
  al_box_model_add_centered (model); /* second add, then delete it */
  RECORD ();
  al_box_model_delete (model);
  RECORD ();
  g_assert_cmpint (k, ==, 8);

  for (int i = k - 1; i >= 0; i--)
    {
      const AlBox *b = al_box_model_get (model, 0);
      g_assert_cmpfloat (b->x, ==, states[i].x);
      g_assert_cmpfloat (b->y, ==, states[i].y);
      g_assert_cmpfloat (b->w, ==, states[i].w);
      g_assert_cmpfloat (b->h, ==, states[i].h);
      g_assert_cmpint (b->label, ==, states[i].label);
      g_assert_cmpuint (al_box_model_get_n (model), ==, states[i].n);
      g_assert_cmpint (al_box_model_get_selected (model), ==, states[i].selected);
      g_assert_true (al_box_model_undo (model));
    }
  /* Before the first add: no boxes, nothing selected, nothing more to undo. */
  g_assert_cmpuint (al_box_model_get_n (model), ==, 0);
  g_assert_cmpint (al_box_model_get_selected (model), ==, -1);
  g_assert_false (al_box_model_undo (model));

  for (int i = 0; i < k; i++)
    {
      const AlBox *b;
      g_assert_true (al_box_model_redo (model));
      b = al_box_model_get (model, 0);
      g_assert_cmpfloat (b->x, ==, states[i].x);
      g_assert_cmpfloat (b->w, ==, states[i].w);
      g_assert_cmpfloat (b->y, ==, states[i].y);
      g_assert_cmpfloat (b->h, ==, states[i].h);
      g_assert_cmpint (b->label, ==, states[i].label);
      g_assert_cmpuint (al_box_model_get_n (model), ==, states[i].n);
      g_assert_cmpint (al_box_model_get_selected (model), ==, states[i].selected);
    }
  g_assert_false (al_box_model_redo (model));
#undef RECORD
}

static void
test_undo_delete_restores_selection (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  al_box_model_add (model, &(AlBox){ 0, 0, 10, 10, 0 });
  al_box_model_add (model, &(AlBox){ 100, 0, 10, 10, 1 });
  al_box_model_select (model, 0);
  al_box_model_delete (model);
  assert_box (model, 0, 100, 0, 10, 10, 1);
  g_assert_true (al_box_model_undo (model));
  g_assert_cmpuint (al_box_model_get_n (model), ==, 2);
  g_assert_cmpint (al_box_model_get_selected (model), ==, 0);
  assert_box (model, 0, 0, 0, 10, 10, 0);
}

static void
test_redo_cleared_by_new_change (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  al_box_model_add_centered (model);
  al_box_model_move (model, 10, 0);
  al_box_model_move (model, 10, 0);
  g_assert_true (al_box_model_undo (model));
  g_assert_true (al_box_model_can_redo (model));
  al_box_model_move (model, 0, 10);
  g_assert_false (al_box_model_can_redo (model));
  g_assert_false (al_box_model_redo (model));
  assert_box (model, 0, 1610, 1210, 800, 600, -1);
  g_assert_true (al_box_model_undo (model));
  assert_box (model, 0, 1610, 1200, 800, 600, -1);

  /* A change that changes nothing leaves redo alone. */
  al_box_model_move (model, 0, 0);
  g_assert_true (al_box_model_can_redo (model));
  /* So does selecting. */
  al_box_model_select (model, -1);
  al_box_model_select (model, 0);
  g_assert_true (al_box_model_redo (model));
  assert_box (model, 0, 1610, 1210, 800, 600, -1);
}

static void
test_no_op_leaves_no_undo_step (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);

  al_box_model_add (model, &(AlBox){ 0, 0, 100, 100, 0 });
  al_box_model_undo (model);
  al_box_model_redo (model);
  g_assert_false (al_box_model_can_redo (model));
  /* At the border: the move is stopped, so there is nothing to undo. */
  al_box_model_move (model, -1, 0);
  al_box_model_move_edge (model, AL_EDGE_LEFT, -1);
  al_box_model_move_edge (model, AL_EDGE_TOP, -5);
  al_box_model_set_label (model, 0);
  al_box_model_set_box (model, 0, &(AlBox){ 0, 0, 100, 100, 0 });
  al_box_model_set_box (model, 0, &(AlBox){ -3, -3, 100, 100, 0 });
  g_assert_true (al_box_model_undo (model)); /* the add */
  g_assert_cmpuint (al_box_model_get_n (model), ==, 0);
  g_assert_false (al_box_model_can_undo (model));
}

static void
test_undo_limit (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (W, H, 3);
  int undone = 0;

  al_box_model_add (model, &(AlBox){ 0, 0, 10, 10, -1 });
  for (int i = 0; i < AL_BOX_MODEL_MAX_UNDO + 50; i++)
    al_box_model_move (model, 1, 0);
  assert_box (model, 0, AL_BOX_MODEL_MAX_UNDO + 50, 0, 10, 10, -1);
  while (al_box_model_undo (model))
    undone++;
  g_assert_cmpint (undone, ==, AL_BOX_MODEL_MAX_UNDO);
  /* The oldest steps are the ones forgotten. */
  assert_box (model, 0, 50, 0, 10, 10, -1);
  g_assert_cmpuint (al_box_model_get_n (model), ==, 1);
  while (al_box_model_redo (model))
    ;
  assert_box (model, 0, AL_BOX_MODEL_MAX_UNDO + 50, 0, 10, 10, -1);
}

static void
test_small_image (void)
{
  /* A 1 × 1 image still holds a valid box. */
  g_autoptr (AlBoxModel) model = al_box_model_new (1, 1, 1);

  al_box_model_add_centered (model);
  assert_box (model, 0, 0, 0, 1, 1, -1);
  al_box_model_move (model, 1, 1);
  al_box_model_move_edge (model, AL_EDGE_LEFT, 1);
  al_box_model_move_edge (model, AL_EDGE_BOTTOM, 1);
  assert_box (model, 0, 0, 0, 1, 1, -1);
  assert_inside (model);
}

/* A long random walk of edits never leaves the image, and undoing all of it
 * gets back to the empty start. */
static void
test_random_walk (void)
{
  g_autoptr (AlBoxModel) model = al_box_model_new (640, 480, 3);
  GRand *rand = g_rand_new_with_seed (42);
  int steps = 0;

  for (int i = 0; i < 150; i++)
    {
      switch (g_rand_int_range (rand, 0, 7))
        {
        case 0:
          al_box_model_add (model, &(AlBox){ g_rand_double_range (rand, -100, 700),
                                             g_rand_double_range (rand, -100, 600),
                                             g_rand_double_range (rand, -10, 800),
                                             g_rand_double_range (rand, -10, 600),
                                             g_rand_int_range (rand, -2, 5) });
          break;
        case 1:
          al_box_model_move (model, g_rand_double_range (rand, -300, 300),
                             g_rand_double_range (rand, -300, 300));
          break;
        case 2:
          al_box_model_move_edge (model, g_rand_int_range (rand, 0, 4),
                                  g_rand_double_range (rand, -400, 400));
          break;
        case 3:
          al_box_model_set_label (model, g_rand_int_range (rand, -2, 5));
          break;
        case 4:
          if (g_rand_int_range (rand, 0, 4) == 0)
            al_box_model_delete (model);
          break;
        case 5:
          al_box_model_select_next (model, g_rand_boolean (rand) ? 1 : -1);
          break;
        default:
          al_box_model_select (model, g_rand_int_range (rand, -1, 6));
          break;
        }
      assert_inside (model);
      for (guint b = 0; b < al_box_model_get_n (model); b++)
        {
          int label = al_box_model_get (model, b)->label;
          g_assert_cmpint (label, >=, -1);
          g_assert_cmpint (label, <, 3);
        }
    }
  while (al_box_model_undo (model))
    steps++;
  g_assert_cmpint (steps, >, 0);
  g_assert_cmpuint (al_box_model_get_n (model), ==, 0);
  g_rand_free (rand);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/box-model/new", test_new);
  g_test_add_func ("/box-model/new-invalid", test_new_invalid);
  g_test_add_func ("/box-model/add-centered", test_add_centered);
  g_test_add_func ("/box-model/add-clamps", test_add_clamps);
  g_test_add_func ("/box-model/get-out-of-range", test_get_out_of_range);
  g_test_add_func ("/box-model/set-box", test_set_box);
  g_test_add_func ("/box-model/set-box-out-of-range", test_set_box_out_of_range);
  g_test_add_func ("/box-model/select", test_select);
  g_test_add_func ("/box-model/select-next", test_select_next);
  g_test_add_func ("/box-model/select-next-same-place", test_select_next_same_place);
  g_test_add_func ("/box-model/move", test_move);
  g_test_add_func ("/box-model/move-clamps", test_move_clamps);
  g_test_add_func ("/box-model/move-edges", test_move_edges);
  g_test_add_func ("/box-model/move-edges-clamp", test_move_edges_clamp);
  g_test_add_func ("/box-model/labels", test_labels);
  g_test_add_func ("/box-model/labels-none", test_labels_none);
  g_test_add_func ("/box-model/delete", test_delete);
  g_test_add_func ("/box-model/clear", test_clear);
  g_test_add_func ("/box-model/undo-redo-every-kind", test_undo_redo_every_kind);
  g_test_add_func ("/box-model/undo-delete-restores-selection",
                   test_undo_delete_restores_selection);
  g_test_add_func ("/box-model/redo-cleared-by-new-change", test_redo_cleared_by_new_change);
  g_test_add_func ("/box-model/no-op-leaves-no-undo-step", test_no_op_leaves_no_undo_step);
  g_test_add_func ("/box-model/undo-limit", test_undo_limit);
  g_test_add_func ("/box-model/small-image", test_small_image);
  g_test_add_func ("/box-model/random-walk", test_random_walk);
  return g_test_run ();
}
