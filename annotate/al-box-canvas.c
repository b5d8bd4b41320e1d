/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "al-box-canvas.h"
#include "al-editor.h"
#include "al-proposal.h"
#include <jansson.h>

#define HANDLE 14.0
#define ZOOM_MAX 16.0
#define N_LEVELS 8

/* Everything the canvas does on a key. The window may give any of them
 * other keys (keys.ini); these are the defaults. */
typedef enum
{
  ACT_NEW,
  ACT_NEXT,
  ACT_PREVIOUS,
  ACT_LEFT,
  ACT_RIGHT,
  ACT_UP,
  ACT_DOWN,
  ACT_LEFT_FAR,
  ACT_RIGHT_FAR,
  ACT_UP_FAR,
  ACT_DOWN_FAR,
  ACT_LEFT_PIXEL,
  ACT_RIGHT_PIXEL,
  ACT_UP_PIXEL,
  ACT_DOWN_PIXEL,
  ACT_RIGHT_EDGE_LEFT,
  ACT_RIGHT_EDGE_RIGHT,
  ACT_BOTTOM_EDGE_UP,
  ACT_BOTTOM_EDGE_DOWN,
  ACT_LEFT_EDGE_LEFT,
  ACT_LEFT_EDGE_RIGHT,
  ACT_TOP_EDGE_UP,
  ACT_TOP_EDGE_DOWN,
  ACT_LABEL_1,
  ACT_DELETE = ACT_LABEL_1 + 9,
  ACT_DESELECT,
  ACT_UNDO,
  ACT_REDO,
  ACT_ZOOM_IN,
  ACT_ZOOM_OUT,
  ACT_ZOOM_FIT,
  ACT_GRID,
  ACT_PLACE,
  ACT_CORNER,
  ACT_ACCEPT,
  N_ACTS
} Act;

/* Actions next to each other with the same help share a line of the key
 * help: "Left / Right / Up / Down: move the box left / right / up / down 1%". */
#define MOVE N_ ("move the box left / right / up / down 1%")
#define MOVE_FAR N_ ("move the box left / right / up / down 10%")
#define MOVE_PIXEL N_ ("move the box left / right / up / down 1 pixel")
#define FAR_EDGES N_ ("move the right edge left / right, the bottom edge up / down")
#define NEAR_EDGES N_ ("move the left edge left / right, the top edge up / down")

static const AlEditorKey default_keys[N_ACTS] = {
  { "box.new", "n", N_ ("new box in the middle") },
  { "box.next", "Tab", N_ ("next / previous box") },
  { "box.previous", "<Shift>Tab", N_ ("next / previous box") },
  { "box.move-left", "Left;KP_Left", MOVE },
  { "box.move-right", "Right;KP_Right", MOVE },
  { "box.move-up", "Up;KP_Up", MOVE },
  { "box.move-down", "Down;KP_Down", MOVE },
  { "box.move-left-far", "<Shift>Left;<Shift>KP_Left", MOVE_FAR },
  { "box.move-right-far", "<Shift>Right;<Shift>KP_Right", MOVE_FAR },
  { "box.move-up-far", "<Shift>Up;<Shift>KP_Up", MOVE_FAR },
  { "box.move-down-far", "<Shift>Down;<Shift>KP_Down", MOVE_FAR },
  { "box.nudge-left", "<Alt>Left;<Alt>KP_Left", MOVE_PIXEL },
  { "box.nudge-right", "<Alt>Right;<Alt>KP_Right", MOVE_PIXEL },
  { "box.nudge-up", "<Alt>Up;<Alt>KP_Up", MOVE_PIXEL },
  { "box.nudge-down", "<Alt>Down;<Alt>KP_Down", MOVE_PIXEL },
  { "box.right-edge-left", "<Control>Left;<Control>KP_Left", FAR_EDGES },
  { "box.right-edge-right", "<Control>Right;<Control>KP_Right", FAR_EDGES },
  { "box.bottom-edge-up", "<Control>Up;<Control>KP_Up", FAR_EDGES },
  { "box.bottom-edge-down", "<Control>Down;<Control>KP_Down", FAR_EDGES },
  { "box.left-edge-left", "<Control><Shift>Left;<Control><Shift>KP_Left", NEAR_EDGES },
  { "box.left-edge-right", "<Control><Shift>Right;<Control><Shift>KP_Right", NEAR_EDGES },
  { "box.top-edge-up", "<Control><Shift>Up;<Control><Shift>KP_Up", NEAR_EDGES },
  { "box.top-edge-down", "<Control><Shift>Down;<Control><Shift>KP_Down", NEAR_EDGES },
  { "box.label-1", "1;KP_1", N_ ("give the box this label") },
  { "box.label-2", "2;KP_2", N_ ("give the box this label") },
  { "box.label-3", "3;KP_3", N_ ("give the box this label") },
  { "box.label-4", "4;KP_4", N_ ("give the box this label") },
  { "box.label-5", "5;KP_5", N_ ("give the box this label") },
  { "box.label-6", "6;KP_6", N_ ("give the box this label") },
  { "box.label-7", "7;KP_7", N_ ("give the box this label") },
  { "box.label-8", "8;KP_8", N_ ("give the box this label") },
  { "box.label-9", "9;KP_9", N_ ("give the box this label") },
  { "box.delete", "Delete;KP_Delete;BackSpace", N_ ("remove the box") },
  { "box.deselect", "Escape", N_ ("select nothing; in the grid: leave the grid") },
  { "box.undo", "<Control>z", N_ ("undo") },
  { "box.redo", "<Control><Shift>z;<Control>y", N_ ("redo") },
  { "box.zoom-in", "plus;equal;KP_Add", N_ ("zoom in") },
  { "box.zoom-out", "minus;KP_Subtract", N_ ("zoom out") },
  { "box.zoom-fit", "0;KP_0", N_ ("the whole image") },
  { "box.grid", "g", N_ ("grid on or off; the label keys then pick a cell, like a keypad") },
  { "box.place", "Return;KP_Enter", N_ ("in the grid: place a corner in the cell") },
  { "box.corner", "c", N_ ("choose which corner the grid places") },
  /* Enter places a corner in the grid and accepts a proposal outside it:
   * the two never apply at once (al-keys.c lets them share it). */
  { "box.accept", "Return;KP_Enter", N_ ("accept the model's proposed box") },
};

struct _AlBoxCanvas
{
  GtkWidget parent_instance;

  char *intro;  /* said before the boxes until the first change */
  char *context; /* said before the boxes always (a video's frame and track) */
  char *described;  /* the accessible description last set */
  GString *told;    /* messages of the key press being handled */
  gboolean acting;

  GdkTexture *texture;
  /* The photo at half, a quarter... of its size, made when first needed:
   * the cairo renderer of the lab PCs scales a 12-megapixel photo down on
   * every frame otherwise, which makes each key press take a tenth of a
   * second to show. */
  GdkTexture *levels[N_LEVELS];
  char **labels;
  AlBoxModel *model;
  /* The reference answer, shown after a scored task; while it is shown
   * the boxes cannot be changed. */
  json_t *reference;
  /* A model's proposal ({"model", "boxes"}) and its boxes as they were
   * proposed (al_proposal_boxes), to tell accepted from changed ones. */
  json_t *proposal;
  GArray *proposed;

  /* The part of the image in view, in image pixels. */
  graphene_rect_t view;
  double zoom;

  /* Grid targeting: a region narrowed by digits; Enter places a corner. */
  gboolean grid;
  graphene_rect_t target;
  int corner;             /* 0: next Enter sets the top-left corner, 1: bottom-right */
  graphene_point_t first; /* first corner of a box being placed with the grid */
  gboolean placing;

  /* Mouse dragging */
  int drag_mode; /* 0 none, 1 new, 2 move, 3 resize */
  int drag_corner;
  AlBox drag_box;
  AlBox drag_now;
  graphene_point_t drag_start;

  GStrv keys[N_ACTS]; /* the keys in force */
  GtkEventController *shortcuts;
};

G_DEFINE_FINAL_TYPE (AlBoxCanvas, al_box_canvas, GTK_TYPE_WIDGET)

enum
{
  CHANGED,
  ANNOUNCE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Image ↔ widget coordinates for the current view. */
static void
layout (AlBoxCanvas *self, double *scale, double *ox, double *oy)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));

  *scale = MIN (w / self->view.size.width, h / self->view.size.height);
  *ox = (w - self->view.size.width * *scale) / 2 - self->view.origin.x * *scale;
  *oy = (h - self->view.size.height * *scale) / 2 - self->view.origin.y * *scale;
}

static void
to_image (AlBoxCanvas *self, double wx, double wy, double *ix, double *iy)
{
  double s, ox, oy;
  layout (self, &s, &ox, &oy);
  *ix = (wx - ox) / s;
  *iy = (wy - oy) / s;
}

static double
image_w (AlBoxCanvas *self)
{
  return self->model ? al_box_model_get_width (self->model) : 1;
}

static double
image_h (AlBoxCanvas *self)
{
  return self->model ? al_box_model_get_height (self->model) : 1;
}

static void
fit (AlBoxCanvas *self)
{
  self->zoom = 1;
  graphene_rect_init (&self->view, 0, 0, image_w (self), image_h (self));
}

static void
set_view_around (AlBoxCanvas *self, double cx, double cy, double w, double h)
{
  w = MIN (w, image_w (self));
  h = MIN (h, image_h (self));
  graphene_rect_init (&self->view, CLAMP (cx - w / 2, 0, image_w (self) - w),
                      CLAMP (cy - h / 2, 0, image_h (self) - h), w, h);
}

/* Zoomed in, the view follows the selected box so it stays in sight. */
static void
follow_selection (AlBoxCanvas *self)
{
  int sel;
  const AlBox *b;

  if (self->zoom <= 1 || self->grid || (sel = al_box_model_get_selected (self->model)) < 0)
    return;
  b = al_box_model_get (self->model, sel);
  if (b->x >= self->view.origin.x && b->y >= self->view.origin.y
      && b->x + b->w <= self->view.origin.x + self->view.size.width
      && b->y + b->h <= self->view.origin.y + self->view.size.height)
    return;
  set_view_around (self, b->x + b->w / 2, b->y + b->h / 2, self->view.size.width,
                   self->view.size.height);
}

static const char *
label_name (AlBoxCanvas *self, int label)
{
  if (label < 0 || self->labels == NULL || (guint)label >= g_strv_length (self->labels))
    return NULL;
  return self->labels[label];
}

/* The keys of an action for people, "N", as hints name them. */
static char *
keys_of (AlBoxCanvas *self, Act act)
{
  char *label = al_editor_keys_label ((const char *const *)self->keys[act]);

  return label ? label : g_strdup (_ ("(no key)"));
}

static int
pct (double part, double whole)
{
  return (int)round (100.0 * part / whole);
}

static char *describe_boxes (AlBoxCanvas *self);

/* "Box 1 of 3, model proposal not checked yet, gezicht, 80% sure, ...:
 * Enter accepts it, Delete rejects it." */
static char *
describe_proposed (AlBoxCanvas *self, int sel, int n, const AlBox *b)
{
  const char *name = label_name (self, b->label);
  double confidence = al_proposal_box_confidence (self->proposal, b->proposal);
  AlBoxOrigin origin = al_proposal_box_origin (self->proposed, b);
  g_autofree char *sure = confidence >= 0 ? g_strdup_printf (_ ("%d%% sure"),
                                                             pct (confidence, 1))
                                          : g_strdup (_ ("no confidence given"));
  g_autofree char *where = g_strdup_printf (_ ("%d%% from left, %d%% from top, %d%% wide, %d%% "
                                               "high"),
                                            pct (b->x, image_w (self)), pct (b->y, image_h (self)),
                                            pct (b->w, image_w (self)), pct (b->h, image_h (self)));
  const char *state = origin == AL_BOX_ORIGIN_PENDING    ? _ ("model proposal, not checked yet")
                      : origin == AL_BOX_ORIGIN_ACCEPTED ? _ ("model proposal, accepted")
                                                         : _ ("model proposal, changed by you");
  g_autofree char *text = g_strdup_printf (_ ("Box %d of %d, %s, %s, %s, %s"), sel + 1, n, state,
                                           name ? name : _ ("no label yet"), sure, where);

  if (origin == AL_BOX_ORIGIN_PENDING)
    {
      g_autofree char *accept = keys_of (self, ACT_ACCEPT);
      g_autofree char *reject = keys_of (self, ACT_DELETE);
      /* TRANSLATORS: after a box's description: "Enter accepts it, Delete
       * rejects it, the arrows change it." */
      return g_strdup_printf (_ ("%s. %s accepts it, %s rejects it, the arrows change it."), text,
                              accept, reject);
    }
  return g_steal_pointer (&text);
}

char *
al_box_canvas_describe (AlBoxCanvas *self)
{
  g_autofree char *boxes = NULL;

  g_return_val_if_fail (AL_IS_BOX_CANVAS (self), NULL);
  boxes = describe_boxes (self);
  if (self->context == NULL || self->model == NULL)
    return g_steal_pointer (&boxes);
  return g_strdup_printf ("%s %s", self->context, boxes);
}

static char *
describe_boxes (AlBoxCanvas *self)
{
  int sel, n;
  const AlBox *b;
  const char *name;

  if (self->model == NULL)
    return g_strdup (_ ("The image is loading."));
  n = al_box_model_get_n (self->model);
  sel = al_box_model_get_selected (self->model);
  if (sel < 0)
    {
      g_autofree char *new_keys = keys_of (self, ACT_NEW);
      g_autofree char *next_keys = keys_of (self, ACT_NEXT);

      if (n == 0)
        return g_strdup_printf (_ ("No boxes yet. Press %s for a new box."), new_keys);
      if (al_box_canvas_count_pending (self) > 0)
        return g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE,
                         "%d box, none selected; %u proposed box not checked yet. Press %s to "
                         "select one.",
                         "%d boxes, none selected; %u proposed boxes not checked yet. Press %s to "
                         "select one.",
                         al_box_canvas_count_pending (self)),
            n, al_box_canvas_count_pending (self), next_keys);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%d box, none selected. Press %s to select one.",
                                           "%d boxes, none selected. Press %s to select one.", n),
                              n, next_keys);
    }
  b = al_box_model_get (self->model, sel);
  name = label_name (self, b->label);
  if (b->proposal > 0)
    return describe_proposed (self, sel, n, b);
  return g_strdup_printf (_ ("Box %d of %d, %s, %d%% from left, %d%% from top, %d%% wide, "
                             "%d%% high"),
                          sel + 1, n, name ? name : _ ("no label yet"), pct (b->x, image_w (self)),
                          pct (b->y, image_h (self)), pct (b->w, image_w (self)),
                          pct (b->h, image_h (self)));
}

static void
announce (AlBoxCanvas *self, const char *text, gboolean interrupt)
{
  g_signal_emit (self, signals[ANNOUNCE], 0, text, interrupt);
}

/* Orca 43 speaks every change of the focused photo's description, and
 * each one: the same text set twice is said twice (the first photo was),
 * unless a message asks for it again. */
static void
set_description (AlBoxCanvas *self, const char *text, gboolean again)
{
  char *now;

  if (g_strcmp0 (text, self->described) == 0)
    {
      if (!again)
        return;
      /* The same text is no change to the accessibility bus: a space
       * after it makes it one, and the screen reader says it again. */
      now = g_strconcat (text, " ", NULL);
    }
  else
    now = g_strdup (text);
  g_free (self->described);
  self->described = now;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, now,
                                  -1);
}

/* Said and described alike, so that annolab's voice leaves it to a screen
 * reader (AL_SPEECH_DESCRIBED). */
static void
tell_now (AlBoxCanvas *self, const char *text)
{
  set_description (self, text, TRUE);
  announce (self, self->described, TRUE);
}

/* A message ("Undone.", "Zoom 150%"): GTK 4.8 cannot announce, so it is
 * the photo's description for a moment, which a screen reader says; when
 * the boxes change in the same key press, it comes first in their new
 * description, so that it is said once, with them. */
static void
tell (AlBoxCanvas *self, const char *text)
{
  if (!self->acting)
    {
      tell_now (self, text);
      return;
    }
  if (self->told == NULL)
    self->told = g_string_new (NULL);
  g_string_append_printf (self->told, "%s%s", self->told->len ? " " : "", text);
}

/* After every change: redraw, describe for screen readers, tell the editor.
 * @what happened ("Accepted.") goes before the description, in both, so
 * that it is said once. */
static void
changed_saying (AlBoxCanvas *self, gboolean edited, const char *what)
{
  g_autofree char *plain = al_box_canvas_describe (self);
  g_autofree char *told = self->told ? g_string_free (g_steal_pointer (&self->told), FALSE) : NULL;
  g_autofree char *description = what ? g_strdup_printf ("%s %s", what, plain)
                                       : g_steal_pointer (&plain);

  g_clear_pointer (&self->intro, g_free);
  follow_selection (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (told)
    {
      g_autofree char *both = g_strdup_printf ("%s %s", told, description);
      tell_now (self, both);
    }
  else
    tell_now (self, description);
  if (edited)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
changed (AlBoxCanvas *self, gboolean edited)
{
  changed_saying (self, edited, NULL);
}

/* The photo's own description again once the focus has left it, where a
 * change is not said: the message it held is not read a second time. */
static void
focus_left (GtkEventControllerFocus *focus,
            AlBoxCanvas             *self)
{
  g_autofree char *description = NULL;

  if (self->model == NULL || self->intro)
    return;
  description = al_box_canvas_describe (self);
  set_description (self, description, FALSE);
}

const char *
al_box_canvas_get_description (AlBoxCanvas *self)
{
  g_return_val_if_fail (AL_IS_BOX_CANVAS (self), NULL);
  return self->described;
}

void
al_box_canvas_refresh (AlBoxCanvas *self)
{
  g_autofree char *description = al_box_canvas_describe (self);

  /* A screen reader speaks every change of the focused photo's description:
   * "loading" would be said and then the photo straight after it. While the
   * photo loads, the instructions come with what a photo without boxes
   * says: the same text once it is there, so that it is not said again
   * when it was read with the focus (the focus comes first). */
  if (self->model == NULL && self->intro)
    {
      g_autofree char *new_keys = keys_of (self, ACT_NEW);
      g_autofree char *empty = g_strdup_printf (_ ("No boxes yet. Press %s for a new box."),
                                                new_keys);
      g_autofree char *full = g_strdup_printf ("%s %s", self->intro, empty);

      set_description (self, full, FALSE);
    }
  else if (self->model != NULL)
    {
      g_autofree char *full = self->intro ? g_strdup_printf ("%s %s", self->intro, description)
                                          : NULL;

      set_description (self, full ? full : description, FALSE);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Text that a screen reader reads before the boxes (the task's
 * instructions), until the boxes first change. */
void
al_box_canvas_set_intro (AlBoxCanvas *self, const char *intro)
{
  g_return_if_fail (AL_IS_BOX_CANVAS (self));
  g_free (self->intro);
  self->intro = intro && *intro ? g_strdup (intro) : NULL;
}

void
al_box_canvas_set_context (AlBoxCanvas *self, const char *context)
{
  g_return_if_fail (AL_IS_BOX_CANVAS (self));
  g_free (self->context);
  self->context = context && *context ? g_strdup (context) : NULL;
}

static void
zoom_by (AlBoxCanvas *self, double factor)
{
  double cx = self->view.origin.x + self->view.size.width / 2;
  double cy = self->view.origin.y + self->view.size.height / 2;
  int sel = al_box_model_get_selected (self->model);
  g_autofree char *text = NULL;

  self->zoom = CLAMP (self->zoom * factor, 1, ZOOM_MAX);
  if (sel >= 0)
    {
      const AlBox *b = al_box_model_get (self->model, sel);
      cx = b->x + b->w / 2;
      cy = b->y + b->h / 2;
    }
  set_view_around (self, cx, cy, image_w (self) / self->zoom, image_h (self) / self->zoom);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  text = g_strdup_printf (_ ("Zoom %d%%"), (int)round (self->zoom * 100));
  tell (self, text);
}

/* Keypad layout: 7 8 9 is the top row, 1 2 3 the bottom row. */
static void
grid_pick (AlBoxCanvas *self, int digit)
{
  int col = (digit - 1) % 3;
  int row = 2 - (digit - 1) / 3;
  double w = self->target.size.width / 3, h = self->target.size.height / 3;
  g_autofree char *text = NULL;
  g_autofree char *place_keys = keys_of (self, ACT_PLACE);

  graphene_rect_init (&self->target, self->target.origin.x + col * w,
                      self->target.origin.y + row * h, w, h);
  /* Show the chosen cell large, with some context around it. */
  set_view_around (self, self->target.origin.x + w / 2, self->target.origin.y + h / 2, w * 3,
                   h * 3);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  text = g_strdup_printf (_ ("Cell %d. Point at %d%% from left, %d%% from top. %s places the "
                             "corner here."),
                          digit, pct (self->target.origin.x + w / 2, image_w (self)),
                          pct (self->target.origin.y + h / 2, image_h (self)), place_keys);
  tell (self, text);
}

static void
grid_start (AlBoxCanvas *self)
{
  int sel = al_box_model_get_selected (self->model);
  const char *what;
  g_autofree char *text = NULL;
  g_autofree char *first = keys_of (self, ACT_LABEL_1);
  g_autofree char *last = keys_of (self, ACT_LABEL_1 + 8);
  g_autofree char *leave = keys_of (self, ACT_DESELECT);

  self->grid = TRUE;
  self->target = self->view;
  if (self->placing)
    what = _ ("the second corner of the new box");
  else if (sel >= 0)
    what = self->corner == 0 ? _ ("the top-left corner") : _ ("the bottom-right corner");
  else
    what = _ ("the first corner of a new box");
  /* TRANSLATORS: "Grid on. Choose a cell with 1 to 9 to place the
   * top-left corner; Escape leaves the grid." */
  text = g_strdup_printf (_ ("Grid on. Choose a cell with %s to %s to place %s; %s leaves the "
                             "grid."),
                          first, last, what, leave);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  tell (self, text);
}

static void
grid_stop (AlBoxCanvas *self)
{
  self->grid = FALSE;
  if (self->zoom <= 1)
    fit (self);
  else
    set_view_around (self, self->view.origin.x + self->view.size.width / 2,
                     self->view.origin.y + self->view.size.height / 2, image_w (self) / self->zoom,
                     image_h (self) / self->zoom);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
grid_enter (AlBoxCanvas *self)
{
  double px = self->target.origin.x + self->target.size.width / 2;
  double py = self->target.origin.y + self->target.size.height / 2;
  int sel = al_box_model_get_selected (self->model);

  grid_stop (self);
  if (self->placing)
    {
      AlBox b = { MIN (px, self->first.x), MIN (py, self->first.y), fabs (px - self->first.x),
                  fabs (py - self->first.y), -1 };
      self->placing = FALSE;
      al_box_model_add (self->model, &b);
      changed (self, TRUE);
      return;
    }
  if (sel < 0)
    {
      graphene_point_init (&self->first, px, py);
      self->placing = TRUE;
      g_autofree char *grid_keys = keys_of (self, ACT_GRID);
      g_autofree char *text = g_strdup_printf (_ ("First corner placed. Press %s to place the "
                                                  "second corner."), grid_keys);
      tell (self, text);
      return;
    }
  {
    AlBox b = *al_box_model_get (self->model, sel);
    double right = b.x + b.w, bottom = b.y + b.h;
    if (self->corner == 0)
      {
        b.x = MIN (px, right - 1);
        b.y = MIN (py, bottom - 1);
        b.w = right - b.x;
        b.h = bottom - b.y;
      }
    else
      {
        b.w = MAX (px - b.x, 1);
        b.h = MAX (py - b.y, 1);
      }
    self->corner = !self->corner;
    al_box_model_set_box (self->model, sel, &b);
    changed (self, TRUE);
  }
}

static gboolean
needs_selection (AlBoxCanvas *self)
{
  g_autofree char *new_keys = NULL;
  g_autofree char *next_keys = NULL;
  g_autofree char *text = NULL;

  if (al_box_model_get_selected (self->model) >= 0)
    return FALSE;
  new_keys = keys_of (self, ACT_NEW);
  next_keys = keys_of (self, ACT_NEXT);
  text = g_strdup_printf (_ ("No box selected. Press %s for a new box or %s to select one."),
                          new_keys, next_keys);
  tell (self, text);
  return TRUE;
}

/* Arrows: a whole step is 1% of the image (far: 10%, nudge: one pixel). */
static gboolean
move (AlBoxCanvas *self, double dx, double dy, double step)
{
  if (needs_selection (self))
    return TRUE;
  if (step < 0)
    al_box_model_move (self->model, dx, dy);
  else
    al_box_model_move (self->model, dx * step * image_w (self), dy * step * image_h (self));
  changed (self, TRUE);
  return TRUE;
}

static gboolean
move_edge (AlBoxCanvas *self, AlEdge edge, double direction)
{
  gboolean across = edge == AL_EDGE_LEFT || edge == AL_EDGE_RIGHT;

  if (needs_selection (self))
    return TRUE;
  al_box_model_move_edge (self->model, edge, direction * 0.01 * (across ? image_w (self)
                                                                        : image_h (self)));
  changed (self, TRUE);
  return TRUE;
}

static gboolean
give_label (AlBoxCanvas *self, int number)
{
  if (self->grid)
    {
      grid_pick (self, number);
      return TRUE;
    }
  if (al_box_model_get_selected (self->model) < 0)
    {
      g_autofree char *next_keys = keys_of (self, ACT_NEXT);
      g_autofree char *text = g_strdup_printf (_ ("Select a box first with %s, then press the key "
                                                  "of its label."), next_keys);
      tell (self, text);
    }
  else if (label_name (self, number - 1) == NULL)
    {
      g_autofree char *text = g_strdup_printf (_ ("There is no label %d. The labels go from 1 "
                                                  "to %u."),
                                               number, g_strv_length (self->labels));
      tell (self, text);
    }
  else
    {
      al_box_model_set_label (self->model, number - 1);
      changed (self, TRUE);
    }
  return TRUE;
}

/* After a proposal has been dealt with, the next one not checked yet is
 * selected, so that Enter, Enter, Delete goes through them all. */
static gboolean
select_next_pending (AlBoxCanvas *self)
{
  guint n = al_box_model_get_n (self->model);
  int from = MAX (al_box_model_get_selected (self->model), 0);

  for (guint k = 0; k < n; k++)
    {
      guint i = (from + k) % n;
      if (al_proposal_box_origin (self->proposed, al_box_model_get (self->model, i))
          == AL_BOX_ORIGIN_PENDING)
        {
          al_box_model_select (self->model, i);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
accept_proposed (AlBoxCanvas *self)
{
  int sel = al_box_model_get_selected (self->model);
  AlBox b;
  g_autofree char *what = NULL;

  if (sel < 0 || al_box_model_get (self->model, sel)->proposal == 0)
    return FALSE;
  if (al_proposal_box_origin (self->proposed, al_box_model_get (self->model, sel))
      != AL_BOX_ORIGIN_PENDING)
    {
      announce (self, _ ("This proposed box is already checked."), TRUE);
      return TRUE;
    }
  b = *al_box_model_get (self->model, sel);
  b.unchecked = FALSE;
  al_box_model_set_box (self->model, sel, &b);
  what = g_strdup_printf (_ ("Accepted: %s."), label_name (self, b.label));
  if (!select_next_pending (self))
    {
      g_autofree char *all = g_strdup_printf ("%s %s", what, _ ("All proposed boxes are checked."));
      g_free (what);
      what = g_steal_pointer (&all);
    }
  changed_saying (self, TRUE, what);
  return TRUE;
}

static gboolean
reject_proposed (AlBoxCanvas *self)
{
  const AlBox *b = al_box_model_get (self->model, al_box_model_get_selected (self->model));
  g_autofree char *what = g_strdup_printf (_ ("Proposal rejected: %s removed."),
                                           label_name (self, b->label));

  al_box_model_delete (self->model);
  if (!select_next_pending (self) && al_box_canvas_count_pending (self) == 0)
    {
      g_autofree char *all = g_strdup_printf ("%s %s", what, _ ("All proposed boxes are checked."));
      g_free (what);
      what = g_steal_pointer (&all);
    }
  changed_saying (self, TRUE, what);
  return TRUE;
}

/* What each action does; FALSE lets the key go on to the window (Tab past
 * the last box leaves the canvas, so the keyboard is never trapped here). */
static gboolean
run (AlBoxCanvas *self, Act act)
{
  if (act >= ACT_LABEL_1 && act < ACT_LABEL_1 + 9)
    return give_label (self, act - ACT_LABEL_1 + 1);
  if (self->grid)
    switch (act)
      {
      case ACT_PLACE:
        grid_enter (self);
        return TRUE;
      case ACT_DESELECT:
      case ACT_GRID:
        grid_stop (self);
        tell (self, _ ("Grid off."));
        return TRUE;
      default:
        return FALSE;
      }

  switch (act)
    {
    case ACT_NEW:
      al_box_model_add_centered (self->model);
      self->corner = 0;
      changed (self, TRUE);
      return TRUE;
    case ACT_NEXT:
    case ACT_PREVIOUS:
      if (!al_box_model_select_next (self->model, act == ACT_PREVIOUS ? -1 : 1))
        return FALSE;
      self->corner = 0;
      changed (self, FALSE);
      return TRUE;
    case ACT_LEFT:
    case ACT_RIGHT:
    case ACT_UP:
    case ACT_DOWN:
      return move (self, act == ACT_RIGHT ? 1 : act == ACT_LEFT ? -1 : 0,
                   act == ACT_DOWN ? 1 : act == ACT_UP ? -1 : 0, 0.01);
    case ACT_LEFT_FAR:
    case ACT_RIGHT_FAR:
    case ACT_UP_FAR:
    case ACT_DOWN_FAR:
      return move (self, act == ACT_RIGHT_FAR ? 1 : act == ACT_LEFT_FAR ? -1 : 0,
                   act == ACT_DOWN_FAR ? 1 : act == ACT_UP_FAR ? -1 : 0, 0.10);
    case ACT_LEFT_PIXEL:
    case ACT_RIGHT_PIXEL:
    case ACT_UP_PIXEL:
    case ACT_DOWN_PIXEL:
      return move (self, act == ACT_RIGHT_PIXEL ? 1 : act == ACT_LEFT_PIXEL ? -1 : 0,
                   act == ACT_DOWN_PIXEL ? 1 : act == ACT_UP_PIXEL ? -1 : 0, -1);
    case ACT_RIGHT_EDGE_LEFT:
      return move_edge (self, AL_EDGE_RIGHT, -1);
    case ACT_RIGHT_EDGE_RIGHT:
      return move_edge (self, AL_EDGE_RIGHT, 1);
    case ACT_BOTTOM_EDGE_UP:
      return move_edge (self, AL_EDGE_BOTTOM, -1);
    case ACT_BOTTOM_EDGE_DOWN:
      return move_edge (self, AL_EDGE_BOTTOM, 1);
    case ACT_LEFT_EDGE_LEFT:
      return move_edge (self, AL_EDGE_LEFT, -1);
    case ACT_LEFT_EDGE_RIGHT:
      return move_edge (self, AL_EDGE_LEFT, 1);
    case ACT_TOP_EDGE_UP:
      return move_edge (self, AL_EDGE_TOP, -1);
    case ACT_TOP_EDGE_DOWN:
      return move_edge (self, AL_EDGE_TOP, 1);
    case ACT_ACCEPT:
      return accept_proposed (self);
    case ACT_DELETE:
      if (al_box_model_get_selected (self->model) < 0)
        return TRUE;
      if (al_box_model_get (self->model, al_box_model_get_selected (self->model))->proposal > 0)
        return reject_proposed (self);
      al_box_model_delete (self->model);
      tell (self, _ ("Box deleted."));
      changed (self, TRUE);
      return TRUE;
    case ACT_DESELECT:
      if (al_box_model_get_selected (self->model) < 0 && !self->placing)
        return FALSE;
      self->placing = FALSE;
      al_box_model_select (self->model, -1);
      changed (self, FALSE);
      return TRUE;
    case ACT_UNDO:
      tell (self, al_box_model_undo (self->model) ? _ ("Undone.") : _ ("Nothing to undo."));
      changed (self, TRUE);
      return TRUE;
    case ACT_REDO:
      tell (self, al_box_model_redo (self->model) ? _ ("Redone.") : _ ("Nothing to redo."));
      changed (self, TRUE);
      return TRUE;
    case ACT_ZOOM_IN:
      zoom_by (self, 1.5);
      return TRUE;
    case ACT_ZOOM_OUT:
      zoom_by (self, 1 / 1.5);
      return TRUE;
    case ACT_ZOOM_FIT:
      fit (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      tell (self, _ ("Whole image in view."));
      return TRUE;
    case ACT_GRID:
      grid_start (self);
      return TRUE;
    case ACT_PLACE:
      return FALSE;
    case ACT_CORNER:
      if (al_box_model_get_selected (self->model) < 0)
        return TRUE;
      self->corner = !self->corner;
      tell (self, self->corner == 0 ? _ ("The grid now places the top-left corner.")
                                    : _ ("The grid now places the bottom-right corner."));
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
activate (AlBoxCanvas *self, Act act)
{
  gboolean handled;

  if (self->model == NULL)
    return FALSE;
  /* The feedback picture only zooms. */
  if (self->reference && act != ACT_ZOOM_IN && act != ACT_ZOOM_OUT && act != ACT_ZOOM_FIT)
    return FALSE;
  self->acting = TRUE;
  handled = run (self, act);
  self->acting = FALSE;
  /* Messages that no change of the boxes took with it. */
  if (self->told)
    {
      g_autofree char *told = g_string_free (g_steal_pointer (&self->told), FALSE);
      tell_now (self, told);
    }
  return handled;
}

static gboolean
shortcut_activated (GtkWidget *widget, GVariant *args, gpointer data)
{
  return activate (AL_BOX_CANVAS (widget), GPOINTER_TO_INT (data));
}

static void
action_activated (GtkWidget *widget, const char *name, GVariant *param)
{
  for (int act = 0; act < N_ACTS; act++)
    if (g_str_equal (default_keys[act].action, name))
      activate (AL_BOX_CANVAS (widget), act);
}

/* One shortcut controller filled from the keys in force, which a key file
 * may have changed; rebuilt whenever they change. */
static void
update_shortcuts (AlBoxCanvas *self)
{
  if (self->shortcuts)
    gtk_widget_remove_controller (GTK_WIDGET (self), self->shortcuts);
  self->shortcuts = gtk_shortcut_controller_new ();
  for (int act = 0; act < N_ACTS; act++)
    for (guint i = 0; self->keys[act][i]; i++)
      {
        GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string (self->keys[act][i]);
        if (trigger == NULL)
          {
            g_warning ("%s: “%s” is not a key", default_keys[act].action, self->keys[act][i]);
            continue;
          }
        gtk_shortcut_controller_add_shortcut (
            GTK_SHORTCUT_CONTROLLER (self->shortcuts),
            gtk_shortcut_new (trigger, gtk_callback_action_new (shortcut_activated,
                                                                GINT_TO_POINTER (act), NULL)));
      }
  gtk_widget_add_controller (GTK_WIDGET (self), self->shortcuts);
}

const AlEditorKey *
al_box_canvas_default_keys (gsize *n_keys)
{
  *n_keys = G_N_ELEMENTS (default_keys);
  return default_keys;
}

gboolean
al_box_canvas_set_keys (AlBoxCanvas *self, const char *action, const char *const *accels)
{
  g_return_val_if_fail (AL_IS_BOX_CANVAS (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  for (int act = 0; act < N_ACTS; act++)
    if (g_str_equal (default_keys[act].action, action))
      {
        g_strfreev (self->keys[act]);
        self->keys[act] = g_strdupv ((char **)(accels ? accels : (const char *const[]){ NULL }));
        update_shortcuts (self);
        al_box_canvas_refresh (self);
        return TRUE;
      }
  return FALSE;
}

char *
al_box_canvas_keys_of (AlBoxCanvas *self, const char *action)
{
  g_return_val_if_fail (AL_IS_BOX_CANVAS (self), NULL);

  for (int act = 0; act < N_ACTS; act++)
    if (g_str_equal (default_keys[act].action, action))
      return keys_of (self, act);
  return NULL;
}

static void
clear_levels (AlBoxCanvas *self)
{
  for (int k = 0; k < N_LEVELS; k++)
    g_clear_object (&self->levels[k]);
}

/* Half the size of the level above, with cairo's box filter. */
static GdkTexture *
make_level (GdkTexture *from)
{
  int w = gdk_texture_get_width (from), h = gdk_texture_get_height (from);
  int nw = MAX (1, (w + 1) / 2), nh = MAX (1, (h + 1) / 2);
  cairo_surface_t *src = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_surface_t *dst = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, nw, nh);
  GdkTexture *texture;
  GBytes *bytes;
  cairo_t *cr;

  gdk_texture_download (from, cairo_image_surface_get_data (src),
                        cairo_image_surface_get_stride (src));
  cairo_surface_mark_dirty (src);
  cr = cairo_create (dst);
  cairo_scale (cr, (double)nw / w, (double)nh / h);
  cairo_set_source_surface (cr, src, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (dst);
  bytes = g_bytes_new (cairo_image_surface_get_data (dst),
                       (gsize)cairo_image_surface_get_stride (dst) * nh);
  texture = gdk_memory_texture_new (nw, nh, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (dst));
  g_bytes_unref (bytes);
  cairo_surface_destroy (dst);
  cairo_surface_destroy (src);
  return texture;
}

/* The smallest level still at least as large as the photo on screen. */
static GdkTexture *
texture_for_scale (AlBoxCanvas *self, double scale)
{
  double shown = image_w (self) * scale * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int k = 0;

  while (k < N_LEVELS && image_w (self) / (double)(2 << k) >= shown)
    k++;
  if (k == 0)
    return self->texture;
  for (int i = 0; i < k; i++)
    if (self->levels[i] == NULL)
      self->levels[i] = make_level (i == 0 ? self->texture : self->levels[i - 1]);
  return self->levels[k - 1];
}

static void
outline (GtkSnapshot *snapshot,
         const graphene_rect_t *r,
         double width,
         const GdkRGBA *dark,
         const GdkRGBA *light)
{
  /* A light stroke between two dark ones shows on any photograph, light or
   * dark, and stays visible for people with low vision. */
  GskRoundedRect rr;
  float outer[4] = { width + 4, width + 4, width + 4, width + 4 };
  float inner[4] = { width, width, width, width };
  GdkRGBA darks[4] = { *dark, *dark, *dark, *dark };
  GdkRGBA lights[4] = { *light, *light, *light, *light };
  graphene_rect_t big;

  graphene_rect_inset_r (r, -2, -2, &big);
  gsk_rounded_rect_init_from_rect (&rr, &big, 0);
  gtk_snapshot_append_border (snapshot, &rr, outer, darks);
  gsk_rounded_rect_init_from_rect (&rr, r, 0);
  gtk_snapshot_append_border (snapshot, &rr, inner, lights);
}

static void
draw_tag (AlBoxCanvas *self,
          GtkSnapshot *snapshot,
          double x,
          double y,
          const char *text,
          gboolean selected)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();
  GdkRGBA bg = selected ? (GdkRGBA){ 1, 0.85, 0, 1 } : (GdkRGBA){ 0, 0, 0, 0.85 };
  GdkRGBA fg = selected ? (GdkRGBA){ 0, 0, 0, 1 } : (GdkRGBA){ 1, 1, 1, 1 };
  GdkRGBA black = { 0, 0, 0, 1 };
  int w, h;

  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_size (layout, &w, &h);
  /* Above the box, and kept inside the canvas so no tag is cut off. */
  x = CLAMP (x, 0, MAX (0, gtk_widget_get_width (GTK_WIDGET (self)) - w - 8));
  y = MAX (y - h - 6, 0);
  if (selected)
    gtk_snapshot_append_color (snapshot, &black, &GRAPHENE_RECT_INIT (x - 2, y - 2, w + 12, h + 8));
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (x, y, w + 8, h + 4));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 4, y + 2));
  gtk_snapshot_append_layout (snapshot, layout, &fg);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

/* A proposed box not checked yet: dashed orange on black, thicker when
 * selected, so that it differs from a checked box by its line too. */
static void
draw_proposed (GtkSnapshot *snapshot, const graphene_rect_t *r, gboolean selected)
{
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (r->origin.x - 8,
                                                                           r->origin.y - 8,
                                                                           r->size.width + 16,
                                                                           r->size.height + 16));
  double dash[] = { 6, 6 };

  cairo_rectangle (cr, r->origin.x, r->origin.y, r->size.width, r->size.height);
  cairo_set_line_width (cr, selected ? 10 : 7);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_stroke_preserve (cr);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_set_line_width (cr, selected ? 6 : 3);
  if (selected)
    cairo_set_source_rgb (cr, 1, 0.85, 0);
  else
    cairo_set_source_rgb (cr, 1, 0.55, 0.1);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

/* The reference boxes: dashed, so that they differ from the participant's
 * solid ones by more than colour, with their label under the box. */
static void
draw_reference (AlBoxCanvas *self, GtkSnapshot *snapshot, double s, double ox, double oy)
{
  json_t *boxes = json_object_get (self->reference, "boxes");
  graphene_rect_t all;
  cairo_t *cr;
  size_t i;
  json_t *b;

  if (!json_is_array (boxes) || json_array_size (boxes) == 0)
    return;
  graphene_rect_init (&all, 0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                      gtk_widget_get_height (GTK_WIDGET (self)));
  cr = gtk_snapshot_append_cairo (snapshot, &all);
  json_array_foreach (boxes, i, b)
    {
      double x = ox + json_number_value (json_object_get (b, "x")) * s;
      double y = oy + json_number_value (json_object_get (b, "y")) * s;
      double w = json_number_value (json_object_get (b, "w")) * s;
      double h = json_number_value (json_object_get (b, "h")) * s;
      double dash[] = { 12, 8 };

      cairo_rectangle (cr, x, y, w, h);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_set_line_width (cr, 7);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_stroke_preserve (cr);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_set_line_width (cr, 3);
      cairo_set_source_rgb (cr, 0.3, 0.9, 1);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
  json_array_foreach (boxes, i, b)
    {
      const char *label = json_string_value (json_object_get (b, "label"));
      g_autofree char *tag = g_strdup_printf (_ ("reference: %s"), label ? label : "");
      double x = ox + json_number_value (json_object_get (b, "x")) * s;
      double y = oy + (json_number_value (json_object_get (b, "y"))
                       + json_number_value (json_object_get (b, "h"))) * s;
      /* draw_tag puts a tag above the point it is given: give it one below
       * the box, kept inside the canvas. */
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), tag);
      int tw, th;
      pango_layout_get_pixel_size (layout, &tw, &th);
      g_object_unref (layout);
      y = MIN (y + th + 12, gtk_widget_get_height (GTK_WIDGET (self)));
      draw_tag (self, snapshot, x, y, tag, FALSE);
    }
}

static void
al_box_canvas_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  AlBoxCanvas *self = AL_BOX_CANVAS (widget);
  GdkRGBA black = { 0, 0, 0, 1 }, white = { 1, 1, 1, 1 }, yellow = { 1, 0.85, 0, 1 };
  double s, ox, oy;
  int sel;
  graphene_rect_t clip;
  g_autofree char *selected_tag = NULL;
  graphene_point_t selected_at = { 0, 0 };

  if (self->texture == NULL || self->model == NULL)
    return;
  layout (self, &s, &ox, &oy);
  graphene_rect_init (&clip, 0, 0, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  gtk_snapshot_push_clip (snapshot, &clip);
  gtk_snapshot_append_texture (
      snapshot, texture_for_scale (self, s),
      &GRAPHENE_RECT_INIT (ox, oy, image_w (self) * s, image_h (self) * s));

  sel = al_box_model_get_selected (self->model);
  for (guint i = 0; i < al_box_model_get_n (self->model); i++)
    {
      const AlBox *b = al_box_model_get (self->model, i);
      graphene_rect_t r = GRAPHENE_RECT_INIT (ox + b->x * s, oy + b->y * s, b->w * s, b->h * s);
      const char *name = label_name (self, b->label);
      g_autofree char *tag = name ? g_strdup_printf ("%d %s", b->label + 1, name)
                                  : g_strdup_printf ("? %s", _ ("no label"));
      gboolean selected = (int)i == sel;

      if (b->proposal > 0
          && al_proposal_box_origin (self->proposed, b) == AL_BOX_ORIGIN_PENDING)
        {
          /* Not checked yet: dashed, and the tag says so in words. */
          double c = al_proposal_box_confidence (self->proposal, b->proposal);
          g_autofree char *sure = c >= 0 ? g_strdup_printf (" %d%%", pct (c, 1)) : g_strdup ("");
          g_free (tag);
          /* TRANSLATORS: the tag of a box proposed by a model, "proposal: 1 gezicht 80%" */
          tag = g_strdup_printf (_ ("proposal: %d %s%s"), b->label + 1, name ? name : "", sure);
          draw_proposed (snapshot, &r, selected);
        }
      else
        outline (snapshot, &r, selected ? 6 : 4, &black, selected ? &yellow : &white);
      if (!selected)
        draw_tag (self, snapshot, r.origin.x, r.origin.y, tag, FALSE);
      if (selected)
        {
          double cx[2] = { r.origin.x, r.origin.x + r.size.width };
          double cy[2] = { r.origin.y, r.origin.y + r.size.height };
          for (int c = 0; c < 4; c++)
            {
              graphene_rect_t hr = GRAPHENE_RECT_INIT (cx[c % 2] - HANDLE / 2,
                                                       cy[c / 2] - HANDLE / 2, HANDLE, HANDLE);
              gtk_snapshot_append_color (snapshot, &black, &hr);
              graphene_rect_inset (&hr, 3, 3);
              gtk_snapshot_append_color (snapshot, &yellow, &hr);
            }
          g_free (selected_tag);
          selected_tag = g_steal_pointer (&tag);
          selected_at = r.origin;
        }
    }
  /* The selected box's tag last, over the others: at large text on a small
   * photo the tags overlap, and the selected one must stay readable. */
  if (selected_tag)
    draw_tag (self, snapshot, selected_at.x, selected_at.y, selected_tag, TRUE);

  draw_reference (self, snapshot, s, ox, oy);

  if (self->drag_mode != 0 && self->drag_now.w > 0)
    {
      const AlBox *b = &self->drag_now;
      graphene_rect_t r = GRAPHENE_RECT_INIT (ox + b->x * s, oy + b->y * s, b->w * s, b->h * s);
      outline (snapshot, &r, 3, &black, &yellow);
    }

  if (self->grid)
    {
      graphene_rect_t t
          = GRAPHENE_RECT_INIT (ox + self->target.origin.x * s, oy + self->target.origin.y * s,
                                self->target.size.width * s, self->target.size.height * s);
      outline (snapshot, &t, 3, &black, &yellow);
      for (int k = 1; k < 3; k++)
        {
          gtk_snapshot_append_color (snapshot, &yellow,
                                     &GRAPHENE_RECT_INIT (t.origin.x + k * t.size.width / 3 - 1,
                                                          t.origin.y, 2, t.size.height));
          gtk_snapshot_append_color (snapshot, &yellow,
                                     &GRAPHENE_RECT_INIT (t.origin.x,
                                                          t.origin.y + k * t.size.height / 3 - 1,
                                                          t.size.width, 2));
        }
      for (int d = 1; d <= 9; d++)
        {
          int col = (d - 1) % 3, row = 2 - (d - 1) / 3;
          g_autofree char *num = g_strdup_printf ("%d", d);
          draw_tag (self, snapshot, t.origin.x + col * t.size.width / 3 + 4,
                    t.origin.y + row * t.size.height / 3 + 30, num, FALSE);
        }
    }
  gtk_snapshot_pop (snapshot);
}

static int
hit_corner (AlBoxCanvas *self, double ix, double iy)
{
  int sel = al_box_model_get_selected (self->model);
  double s, ox, oy, tol;
  const AlBox *b;

  if (sel < 0)
    return -1;
  layout (self, &s, &ox, &oy);
  tol = HANDLE / s;
  b = al_box_model_get (self->model, sel);
  for (int c = 0; c < 4; c++)
    {
      double cx = b->x + (c % 2) * b->w, cy = b->y + (c / 2) * b->h;
      if (fabs (ix - cx) <= tol && fabs (iy - cy) <= tol)
        return c;
    }
  return -1;
}

static void
drag_begin (GtkGestureDrag *gesture, double x, double y, AlBoxCanvas *self)
{
  double ix, iy;
  int corner;

  if (self->model == NULL || self->reference)
    return;
  self->drag_now = (AlBox){ 0 };
  gtk_widget_grab_focus (GTK_WIDGET (self));
  to_image (self, x, y, &ix, &iy);
  graphene_point_init (&self->drag_start, ix, iy);
  corner = hit_corner (self, ix, iy);
  if (corner >= 0)
    {
      self->drag_mode = 3;
      self->drag_corner = corner;
      self->drag_box = *al_box_model_get (self->model, al_box_model_get_selected (self->model));
      return;
    }
  for (int i = al_box_model_get_n (self->model) - 1; i >= 0; i--)
    {
      const AlBox *b = al_box_model_get (self->model, i);
      if (ix >= b->x && ix <= b->x + b->w && iy >= b->y && iy <= b->y + b->h)
        {
          al_box_model_select (self->model, i);
          self->drag_mode = 2;
          self->drag_box = *b;
          changed (self, FALSE);
          return;
        }
    }
  self->drag_mode = 1;
  self->drag_box = (AlBox){ ix, iy, 0, 0, -1 };
  self->drag_now = self->drag_box;
}

static AlBox
dragged_box (AlBoxCanvas *self, double ix, double iy)
{
  AlBox b = self->drag_box;
  double dx = ix - self->drag_start.x, dy = iy - self->drag_start.y;

  if (self->drag_mode == 1)
    {
      b.x = MIN (ix, self->drag_start.x);
      b.y = MIN (iy, self->drag_start.y);
      b.w = fabs (dx);
      b.h = fabs (dy);
    }
  else if (self->drag_mode == 2)
    {
      b.x += dx;
      b.y += dy;
    }
  else if (self->drag_mode == 3)
    {
      double x0 = b.x, y0 = b.y, x1 = b.x + b.w, y1 = b.y + b.h;
      if (self->drag_corner % 2 == 0)
        x0 += dx;
      else
        x1 += dx;
      if (self->drag_corner / 2 == 0)
        y0 += dy;
      else
        y1 += dy;
      b.x = MIN (x0, x1);
      b.y = MIN (y0, y1);
      b.w = fabs (x1 - x0);
      b.h = fabs (y1 - y0);
    }
  return b;
}

static void
drag_end (GtkGestureDrag *gesture, double ox, double oy, AlBoxCanvas *self)
{
  double sx, sy, ix, iy;
  AlBox b;

  if (self->drag_mode == 0)
    return;
  gtk_gesture_drag_get_start_point (gesture, &sx, &sy);
  to_image (self, sx + ox, sy + oy, &ix, &iy);
  b = dragged_box (self, ix, iy);
  if (self->drag_mode == 1)
    {
      /* A click without a drag only selects nothing. */
      if (b.w >= 3 && b.h >= 3)
        al_box_model_add (self->model, &b);
      else
        al_box_model_select (self->model, -1);
    }
  else if (fabs (ox) + fabs (oy) > 1)
    al_box_model_set_box (self->model, al_box_model_get_selected (self->model), &b);
  self->drag_mode = 0;
  changed (self, TRUE);
}

static void
drag_update (GtkGestureDrag *gesture, double ox, double oy, AlBoxCanvas *self)
{
  double sx, sy, ix, iy;

  if (self->drag_mode == 0)
    return;
  gtk_gesture_drag_get_start_point (gesture, &sx, &sy);
  to_image (self, sx + ox, sy + oy, &ix, &iy);
  self->drag_now = dragged_box (self, ix, iy);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
al_box_canvas_measure (GtkWidget *widget,
                       GtkOrientation orientation,
                       int for_size,
                       int *minimum,
                       int *natural,
                       int *min_baseline,
                       int *nat_baseline)
{
  *minimum = 200;
  *natural = 600;
}

static void
al_box_canvas_finalize (GObject *object)
{
  AlBoxCanvas *self = AL_BOX_CANVAS (object);

  g_free (self->intro);
  g_free (self->context);
  g_free (self->described);
  if (self->told)
    g_string_free (self->told, TRUE);
  g_clear_object (&self->texture);
  clear_levels (self);
  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->model, al_box_model_free);
  g_clear_pointer (&self->reference, json_decref);
  g_clear_pointer (&self->proposal, json_decref);
  g_clear_pointer (&self->proposed, g_array_unref);
  for (int act = 0; act < N_ACTS; act++)
    g_strfreev (self->keys[act]);
  G_OBJECT_CLASS (al_box_canvas_parent_class)->finalize (object);
}

static void
al_box_canvas_class_init (AlBoxCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = al_box_canvas_finalize;
  widget_class->snapshot = al_box_canvas_snapshot;
  widget_class->measure = al_box_canvas_measure;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
  signals[ANNOUNCE]
      = g_signal_new ("announce", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "boxcanvas");
  /* Named actions ("box.new"), also for what is not a key press. */
  for (int act = 0; act < N_ACTS; act++)
    gtk_widget_class_install_action (widget_class, default_keys[act].action, NULL,
                                     action_activated);
}

static void
al_box_canvas_init (AlBoxCanvas *self)
{
  GtkGesture *drag;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Photo with boxes"), -1);

  for (int act = 0; act < N_ACTS; act++)
    self->keys[act] = g_strsplit (default_keys[act].accels, ";", -1);
  update_shortcuts (self);
  {
    GtkEventController *focus = gtk_event_controller_focus_new ();
    g_signal_connect (focus, "leave", G_CALLBACK (focus_left), self);
    gtk_widget_add_controller (GTK_WIDGET (self), focus);
  }
  al_editor_describe_before_focus (GTK_WIDGET (self));

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

AlBoxCanvas *
al_box_canvas_new (void)
{
  return g_object_new (AL_TYPE_BOX_CANVAS, NULL);
}

void
al_box_canvas_set_image (AlBoxCanvas *self, GdkTexture *texture, const char *const *labels)
{
  g_return_if_fail (AL_IS_BOX_CANVAS (self));

  g_set_object (&self->texture, texture);
  clear_levels (self);
  g_clear_pointer (&self->labels, g_strfreev);
  self->labels = g_strdupv ((char **)labels);
  g_clear_pointer (&self->model, al_box_model_free);
  g_clear_pointer (&self->reference, json_decref);
  g_clear_pointer (&self->proposal, json_decref);
  g_clear_pointer (&self->proposed, g_array_unref);
  self->grid = self->placing = FALSE;
  self->corner = 0;
  if (texture)
    {
      self->model
          = al_box_model_new (gdk_texture_get_width (texture), gdk_texture_get_height (texture),
                              self->labels ? g_strv_length (self->labels) : 0);
      fit (self);
    }
  al_box_canvas_refresh (self);
}

void
al_box_canvas_set_frame (AlBoxCanvas *self, GdkTexture *texture)
{
  g_return_if_fail (AL_IS_BOX_CANVAS (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  if (self->model == NULL || self->texture == NULL
      || gdk_texture_get_width (texture) != gdk_texture_get_width (self->texture)
      || gdk_texture_get_height (texture) != gdk_texture_get_height (self->texture))
    {
      g_auto (GStrv) labels = g_strdupv (self->labels);
      al_box_canvas_set_image (self, texture, (const char *const *)labels);
      return;
    }
  g_set_object (&self->texture, texture);
  clear_levels (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

AlBoxModel *
al_box_canvas_get_model (AlBoxCanvas *self)
{
  g_return_val_if_fail (AL_IS_BOX_CANVAS (self), NULL);
  return self->model;
}

void
al_box_canvas_set_reference (AlBoxCanvas *self, json_t *reference)
{
  g_return_if_fail (AL_IS_BOX_CANVAS (self));

  g_clear_pointer (&self->reference, json_decref);
  self->reference = reference ? json_incref (reference) : NULL;
  if (self->reference && self->model)
    {
      al_box_model_select (self->model, -1);
      self->grid = self->placing = FALSE;
      fit (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
al_box_canvas_set_proposal (AlBoxCanvas *self, json_t *proposal, gboolean add)
{
  g_return_if_fail (AL_IS_BOX_CANVAS (self));
  g_return_if_fail (self->model != NULL);

  g_clear_pointer (&self->proposal, json_decref);
  g_clear_pointer (&self->proposed, g_array_unref);
  if (proposal == NULL)
    return;
  self->proposal = json_incref (proposal);
  self->proposed = al_proposal_boxes (proposal, self->labels, image_w (self), image_h (self));
  for (guint i = 0; add && i < self->proposed->len; i++)
    al_box_model_add (self->model, &g_array_index (self->proposed, AlBox, i));
  /* The first proposal is selected: Enter accepts it straight away. */
  if (add)
    al_box_model_select (self->model, self->proposed->len > 0 ? 0 : -1);
}

void
al_box_canvas_set_frame_proposal (AlBoxCanvas *self, json_t *proposal, GArray *proposed)
{
  g_return_if_fail (AL_IS_BOX_CANVAS (self));

  g_clear_pointer (&self->proposal, json_decref);
  g_clear_pointer (&self->proposed, g_array_unref);
  self->proposal = proposal ? json_incref (proposal) : NULL;
  self->proposed = proposed ? g_array_ref (proposed) : NULL;
}

json_t *
al_box_canvas_get_proposal (AlBoxCanvas *self)
{
  g_return_val_if_fail (AL_IS_BOX_CANVAS (self), NULL);
  return self->proposal;
}

GArray *
al_box_canvas_get_proposed (AlBoxCanvas *self)
{
  g_return_val_if_fail (AL_IS_BOX_CANVAS (self), NULL);
  return self->proposed;
}

guint
al_box_canvas_count_pending (AlBoxCanvas *self)
{
  guint n = 0;

  g_return_val_if_fail (AL_IS_BOX_CANVAS (self), 0);
  for (guint i = 0; self->model && self->proposed && i < al_box_model_get_n (self->model); i++)
    n += al_proposal_box_origin (self->proposed, al_box_model_get (self->model, i))
         == AL_BOX_ORIGIN_PENDING;
  return n;
}

gboolean
al_box_canvas_select_pending (AlBoxCanvas *self)
{
  g_return_val_if_fail (AL_IS_BOX_CANVAS (self), FALSE);
  if (self->model == NULL || self->proposed == NULL)
    return FALSE;
  al_box_model_select (self->model, 0);
  return select_next_pending (self);
}
