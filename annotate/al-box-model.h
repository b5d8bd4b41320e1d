/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A box in image pixels; label is an index into the task's labels, or -1.
 * proposal is the number (from 1) of the model's proposed box it came
 * from, 0 for a box the person drew; unchecked: proposed and not yet
 * accepted. */
typedef struct
{
  double x, y, w, h;
  int label;
  int proposal;
  gboolean unchecked;
} AlBox;

/* The smallest box side, in image pixels, and how many edits undo keeps. */
#define AL_BOX_MIN_SIZE 1.0
#define AL_BOX_MODEL_MAX_UNDO 200

typedef enum
{
  AL_EDGE_LEFT,
  AL_EDGE_RIGHT,
  AL_EDGE_TOP,
  AL_EDGE_BOTTOM,
} AlEdge;

/* The boxes of one image, with selection and undo. Pure data: the canvas
 * draws it, tests drive it directly. Every edit clamps to the image, and an
 * edit that changes nothing leaves no undo step behind. Labels run from 0
 * to n_labels - 1; -1 means "no label yet". */
typedef struct _AlBoxModel AlBoxModel;

AlBoxModel  *al_box_model_new          (double      image_width,
                                        double      image_height,
                                        guint       n_labels);
void         al_box_model_free         (AlBoxModel *model);
double       al_box_model_get_width    (AlBoxModel *model);
double       al_box_model_get_height   (AlBoxModel *model);
guint        al_box_model_get_n_labels (AlBoxModel *model);

guint        al_box_model_get_n        (AlBoxModel *model);
const AlBox *al_box_model_get          (AlBoxModel *model,
                                        guint       index);
int          al_box_model_get_selected (AlBoxModel *model);
void         al_box_model_select       (AlBoxModel *model,
                                        int         index);
gboolean     al_box_model_select_next  (AlBoxModel *model,
                                        int         direction);

int          al_box_model_add          (AlBoxModel *model,
                                        const AlBox *box);
int          al_box_model_add_centered (AlBoxModel *model);
void         al_box_model_set_box      (AlBoxModel *model,
                                        guint       index,
                                        const AlBox *box);
void         al_box_model_move         (AlBoxModel *model,
                                        double      dx,
                                        double      dy);
void         al_box_model_move_edge    (AlBoxModel *model,
                                        AlEdge      edge,
                                        double      delta);
gboolean     al_box_model_set_label    (AlBoxModel *model,
                                        int         label);
void         al_box_model_delete       (AlBoxModel *model);
void         al_box_model_clear        (AlBoxModel *model);

gboolean     al_box_model_can_undo     (AlBoxModel *model);
gboolean     al_box_model_can_redo     (AlBoxModel *model);
gboolean     al_box_model_undo         (AlBoxModel *model);
gboolean     al_box_model_redo         (AlBoxModel *model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlBoxModel, al_box_model_free)

G_END_DECLS
