/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include <jansson.h>

#include "al-box-model.h"
#include "al-editor.h"

G_BEGIN_DECLS

#define AL_TYPE_BOX_CANVAS (al_box_canvas_get_type ())
G_DECLARE_FINAL_TYPE (AlBoxCanvas, al_box_canvas, AL, BOX_CANVAS, GtkWidget)

/* Shows an image with its boxes and edits them with keys or the mouse.
 * Signals: "changed" () after every edit; "announce" (const char *text,
 * gboolean interrupt) with a short description for speech. */
AlBoxCanvas *al_box_canvas_new         (void);
void         al_box_canvas_set_image   (AlBoxCanvas        *self,
                                        GdkTexture         *texture,
                                        const char *const  *labels);
/* The next picture of a video, of the same size: the boxes, the zoom and
 * the grid stay as they are (another size starts over as set_image). */
void         al_box_canvas_set_frame   (AlBoxCanvas        *self,
                                        GdkTexture         *texture);
/* Words said before the boxes in every description (NULL: none). */
void         al_box_canvas_set_context (AlBoxCanvas        *self,
                                        const char         *context);
AlBoxModel  *al_box_canvas_get_model   (AlBoxCanvas        *self);
char        *al_box_canvas_describe    (AlBoxCanvas        *self);
/* What a screen reader reads as the photo's description now: the boxes,
 * or a message that came with them. */
const char  *al_box_canvas_get_description (AlBoxCanvas    *self);
/* Named actions ("box.new") with their default keys; the canvas handles
 * them as widget actions and through a shortcut controller made from the
 * keys in force. */
const AlEditorKey *al_box_canvas_default_keys (gsize         *n_keys);
/* Gives an action other keys (NULL or empty: none); FALSE for an action
 * that is not the canvas's. */
gboolean     al_box_canvas_set_keys    (AlBoxCanvas        *self,
                                        const char         *action,
                                        const char *const  *accels);
/* The keys of one of its actions for people ("N"), NULL for another. */
char        *al_box_canvas_keys_of     (AlBoxCanvas        *self,
                                        const char         *action);
void         al_box_canvas_refresh     (AlBoxCanvas        *self);
void         al_box_canvas_set_intro   (AlBoxCanvas        *self,
                                        const char         *intro);
/* Draws @reference ({"boxes": [{label, x, y, w, h}]}) dashed over the
 * participant's boxes, and makes the boxes read-only; NULL ends that. */
void         al_box_canvas_set_reference (AlBoxCanvas      *self,
                                          json_t           *reference);
/* A model's proposal ({"model", "version", "boxes"}) for the image set
 * last; @add: put its boxes in the model (FALSE: a draft has them). NULL
 * ends it. */
void         al_box_canvas_set_proposal  (AlBoxCanvas      *self,
                                          json_t           *proposal,
                                          gboolean          add);
/* For a video's frame: the boxes of proposed tracks as the editor judges
 * them (@proposed, AlBox with the proposal's number; a box that differs
 * from its entry is shown as changed) and {"boxes": [{"confidence"}]}
 * by proposal number. The model is left as it is. */
void         al_box_canvas_set_frame_proposal (AlBoxCanvas *self,
                                               json_t      *proposal,
                                               GArray      *proposed);
json_t      *al_box_canvas_get_proposal  (AlBoxCanvas      *self);
/* The proposed boxes as proposed (al_proposal_boxes), NULL if none. */
GArray      *al_box_canvas_get_proposed  (AlBoxCanvas      *self);
guint        al_box_canvas_count_pending (AlBoxCanvas      *self);
/* Selects the first proposed box not checked yet; FALSE if there is none. */
gboolean     al_box_canvas_select_pending (AlBoxCanvas     *self);

G_END_DECLS
