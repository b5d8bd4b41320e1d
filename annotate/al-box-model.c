/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-boxes"

#include "config.h"

#include <math.h>

#include "al-box-model.h"

#define MIN_SIZE AL_BOX_MIN_SIZE
#define MAX_UNDO AL_BOX_MODEL_MAX_UNDO

/* Undo keeps whole snapshots: an image has few boxes, and a snapshot
 * cannot get out of step the way inverse operations can. */
typedef struct
{
  GArray *boxes;
  int selected;
} Snapshot;

struct _AlBoxModel
{
  double width, height;
  guint n_labels;
  GArray *boxes;
  int selected;
  GQueue undo;
  GQueue redo;
};

static void
snapshot_free (Snapshot *s)
{
  g_array_unref (s->boxes);
  g_free (s);
}

static Snapshot *
snapshot_take (AlBoxModel *model)
{
  Snapshot *s = g_new (Snapshot, 1);
  s->boxes = g_array_copy (model->boxes);
  s->selected = model->selected;
  return s;
}

static void
snapshot_restore (AlBoxModel *model, Snapshot *s)
{
  g_array_unref (model->boxes);
  model->boxes = g_array_ref (s->boxes);
  model->selected = s->selected;
}

static gboolean
same_boxes (GArray *a, GArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const AlBox *p = &g_array_index (a, AlBox, i), *q = &g_array_index (b, AlBox, i);
      if (p->x != q->x || p->y != q->y || p->w != q->w || p->h != q->h || p->label != q->label
          || p->proposal != q->proposal || p->unchecked != q->unchecked)
        return FALSE;
    }
  return TRUE;
}

/* Every edit runs between begin () and commit (): the snapshot taken before
 * becomes an undo step only if the boxes really changed, so Ctrl+Z never
 * "undoes" a move that the image border had already stopped. */
static Snapshot *
begin (AlBoxModel *model)
{
  return snapshot_take (model);
}

static void
commit (AlBoxModel *model, Snapshot *before)
{
  if (same_boxes (before->boxes, model->boxes))
    {
      snapshot_free (before);
      return;
    }
  g_queue_push_head (&model->undo, before);
  if (g_queue_get_length (&model->undo) > MAX_UNDO)
    snapshot_free (g_queue_pop_tail (&model->undo));
  g_queue_clear_full (&model->redo, (GDestroyNotify)snapshot_free);
}

AlBoxModel *
al_box_model_new (double image_width, double image_height, guint n_labels)
{
  AlBoxModel *model;

  g_return_val_if_fail (image_width > 0 && image_height > 0, NULL);
  model = g_new0 (AlBoxModel, 1);
  model->width = image_width;
  model->height = image_height;
  model->n_labels = n_labels;
  model->boxes = g_array_new (FALSE, FALSE, sizeof (AlBox));
  model->selected = -1;
  g_queue_init (&model->undo);
  g_queue_init (&model->redo);
  return model;
}

void
al_box_model_free (AlBoxModel *model)
{
  if (model == NULL)
    return;
  g_array_unref (model->boxes);
  g_queue_clear_full (&model->undo, (GDestroyNotify)snapshot_free);
  g_queue_clear_full (&model->redo, (GDestroyNotify)snapshot_free);
  g_free (model);
}

double
al_box_model_get_width (AlBoxModel *model)
{
  return model->width;
}

double
al_box_model_get_height (AlBoxModel *model)
{
  return model->height;
}

guint
al_box_model_get_n_labels (AlBoxModel *model)
{
  return model->n_labels;
}

guint
al_box_model_get_n (AlBoxModel *model)
{
  return model->boxes->len;
}

const AlBox *
al_box_model_get (AlBoxModel *model, guint index)
{
  g_return_val_if_fail (index < model->boxes->len, NULL);
  return &g_array_index (model->boxes, AlBox, index);
}

int
al_box_model_get_selected (AlBoxModel *model)
{
  return model->selected;
}

void
al_box_model_select (AlBoxModel *model, int index)
{
  model->selected = index >= 0 && (guint)index < model->boxes->len ? index : -1;
}

/* Reading order: top to bottom in rows, then left to right; boxes whose
 * tops are within 2% of the image height count as one row. */
static int
reading_cmp (const AlBox *a, const AlBox *b, double row)
{
  if (fabs (a->y - b->y) > row)
    return a->y < b->y ? -1 : 1;
  if (a->x != b->x)
    return a->x < b->x ? -1 : 1;
  return 0;
}

gboolean
al_box_model_select_next (AlBoxModel *model, int direction)
{
  double row = 0.02 * model->height;
  int best = -1;

  if (model->boxes->len == 0)
    return FALSE;
  for (guint i = 0; i < model->boxes->len; i++)
    {
      const AlBox *b = al_box_model_get (model, i);
      int c;
      if ((int)i == model->selected)
        continue;
      if (model->selected >= 0)
        {
          const AlBox *cur = al_box_model_get (model, model->selected);
          c = reading_cmp (b, cur, row);
          if (c == 0)
            c = (int)i < model->selected ? -1 : 1;
          if (c * direction < 0)
            continue;
        }
      if (best < 0)
        best = i;
      else
        {
          c = reading_cmp (b, al_box_model_get (model, best), row);
          if (c * direction < 0)
            best = i;
        }
    }
  if (best < 0)
    return FALSE;
  model->selected = best;
  return TRUE;
}

static double
finite_or (double v, double fallback)
{
  return isfinite (v) ? v : fallback;
}

static gboolean
label_valid (AlBoxModel *model, int label)
{
  return label == -1 || (label >= 0 && (guint)label < model->n_labels);
}

/* Boxes also come from drafts on disk and from the mouse: whatever they
 * hold, what is stored is a finite box inside the image. */
static void
clamp_box (AlBoxModel *model, AlBox *b)
{
  b->x = finite_or (b->x, 0);
  b->y = finite_or (b->y, 0);
  b->w = finite_or (b->w, MIN_SIZE);
  b->h = finite_or (b->h, MIN_SIZE);
  if (!label_valid (model, b->label))
    b->label = -1;
  b->w = CLAMP (b->w, MIN_SIZE, model->width);
  b->h = CLAMP (b->h, MIN_SIZE, model->height);
  b->x = CLAMP (b->x, 0, model->width - b->w);
  b->y = CLAMP (b->y, 0, model->height - b->h);
}

int
al_box_model_add (AlBoxModel *model, const AlBox *box)
{
  Snapshot *before;
  AlBox b;

  g_return_val_if_fail (box != NULL, -1);
  b = *box;
  before = begin (model);
  clamp_box (model, &b);
  g_array_append_val (model->boxes, b);
  model->selected = model->boxes->len - 1;
  commit (model, before);
  return model->selected;
}

int
al_box_model_add_centered (AlBoxModel *model)
{
  AlBox b
      = { 0.4 * model->width, 0.4 * model->height, 0.2 * model->width, 0.2 * model->height, -1 };
  return al_box_model_add (model, &b);
}

void
al_box_model_set_box (AlBoxModel *model, guint index, const AlBox *box)
{
  Snapshot *before;
  AlBox b;

  g_return_if_fail (box != NULL);
  g_return_if_fail (index < model->boxes->len);
  b = *box;
  before = begin (model);
  clamp_box (model, &b);
  g_array_index (model->boxes, AlBox, index) = b;
  commit (model, before);
}

static AlBox *
selected_box (AlBoxModel *model)
{
  if (model->selected < 0)
    return NULL;
  return &g_array_index (model->boxes, AlBox, model->selected);
}

void
al_box_model_move (AlBoxModel *model, double dx, double dy)
{
  Snapshot *before;
  AlBox *b;

  if (selected_box (model) == NULL)
    return;
  before = begin (model);
  b = selected_box (model);
  b->x = CLAMP (b->x + finite_or (dx, 0), 0, model->width - b->w);
  b->y = CLAMP (b->y + finite_or (dy, 0), 0, model->height - b->h);
  commit (model, before);
}

/* An edge moves on its own: the opposite edge stays where it is. */
void
al_box_model_move_edge (AlBoxModel *model, AlEdge edge, double delta)
{
  Snapshot *before;
  AlBox *b;
  double right, bottom;

  if (selected_box (model) == NULL)
    return;
  delta = finite_or (delta, 0);
  before = begin (model);
  b = selected_box (model);
  right = b->x + b->w;
  bottom = b->y + b->h;
  switch (edge)
    {
    case AL_EDGE_LEFT:
      b->x = CLAMP (b->x + delta, 0, right - MIN_SIZE);
      b->w = right - b->x;
      break;
    case AL_EDGE_RIGHT:
      b->w = CLAMP (right + delta, b->x + MIN_SIZE, model->width) - b->x;
      break;
    case AL_EDGE_TOP:
      b->y = CLAMP (b->y + delta, 0, bottom - MIN_SIZE);
      b->h = bottom - b->y;
      break;
    case AL_EDGE_BOTTOM:
      b->h = CLAMP (bottom + delta, b->y + MIN_SIZE, model->height) - b->y;
      break;
    default:
      g_assert_not_reached ();
    }
  commit (model, before);
}

/* FALSE when nothing is selected or the label does not exist; the box
 * keeps its label then. */
gboolean
al_box_model_set_label (AlBoxModel *model, int label)
{
  Snapshot *before;

  if (selected_box (model) == NULL || !label_valid (model, label))
    return FALSE;
  before = begin (model);
  selected_box (model)->label = label;
  commit (model, before);
  return TRUE;
}

void
al_box_model_delete (AlBoxModel *model)
{
  Snapshot *before;

  if (model->selected < 0)
    return;
  before = begin (model);
  g_array_remove_index (model->boxes, model->selected);
  model->selected = model->boxes->len == 0 ? -1 : MIN (model->selected, (int)model->boxes->len - 1);
  commit (model, before);
}

void
al_box_model_clear (AlBoxModel *model)
{
  g_array_set_size (model->boxes, 0);
  model->selected = -1;
  g_queue_clear_full (&model->undo, (GDestroyNotify)snapshot_free);
  g_queue_clear_full (&model->redo, (GDestroyNotify)snapshot_free);
}

gboolean
al_box_model_can_undo (AlBoxModel *model)
{
  return !g_queue_is_empty (&model->undo);
}

gboolean
al_box_model_can_redo (AlBoxModel *model)
{
  return !g_queue_is_empty (&model->redo);
}

gboolean
al_box_model_undo (AlBoxModel *model)
{
  Snapshot *s = g_queue_pop_head (&model->undo);

  if (s == NULL)
    return FALSE;
  g_queue_push_head (&model->redo, snapshot_take (model));
  snapshot_restore (model, s);
  snapshot_free (s);
  return TRUE;
}

gboolean
al_box_model_redo (AlBoxModel *model)
{
  Snapshot *s = g_queue_pop_head (&model->redo);

  if (s == NULL)
    return FALSE;
  g_queue_push_head (&model->undo, snapshot_take (model));
  snapshot_restore (model, s);
  snapshot_free (s);
  return TRUE;
}
