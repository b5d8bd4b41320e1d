/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "al-box-canvas.h"
#include <jansson.h>

#define HANDLE 14.0
#define ZOOM_MAX 16.0
#define N_LEVELS 8

struct _AlBoxCanvas
{
  GtkWidget parent_instance;

  char *intro;  /* said before the boxes until the first change */

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

static int
pct (double part, double whole)
{
  return (int)round (100.0 * part / whole);
}

char *
al_box_canvas_describe (AlBoxCanvas *self)
{
  int sel, n;
  const AlBox *b;
  const char *name;

  g_return_val_if_fail (AL_IS_BOX_CANVAS (self), NULL);
  if (self->model == NULL)
    return g_strdup (_ ("The image is loading."));
  n = al_box_model_get_n (self->model);
  sel = al_box_model_get_selected (self->model);
  if (sel < 0)
    {
      if (n == 0)
        return g_strdup (_ ("No boxes yet. Press N for a new box."));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%d box, none selected. Press Tab to select one.",
                                           "%d boxes, none selected. Press Tab to select one.", n),
                              n);
    }
  b = al_box_model_get (self->model, sel);
  name = label_name (self, b->label);
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

/* After every change: redraw, describe for screen readers, tell the editor. */
static void
changed (AlBoxCanvas *self, gboolean edited)
{
  g_autofree char *description = al_box_canvas_describe (self);

  g_clear_pointer (&self->intro, g_free);
  follow_selection (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  announce (self, description, TRUE);
  if (edited)
    g_signal_emit (self, signals[CHANGED], 0);
}

void
al_box_canvas_refresh (AlBoxCanvas *self)
{
  g_autofree char *description = al_box_canvas_describe (self);

  /* A screen reader speaks every change of the focused photo's description:
   * "loading" would be said and then the photo straight after it. */
  if (self->model != NULL)
    {
      g_autofree char *full = self->intro ? g_strdup_printf ("%s %s", self->intro, description)
                                          : NULL;

      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      full ? full : description, -1);
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
  announce (self, text, TRUE);
}

/* Keypad layout: 7 8 9 is the top row, 1 2 3 the bottom row. */
static void
grid_pick (AlBoxCanvas *self, int digit)
{
  int col = (digit - 1) % 3;
  int row = 2 - (digit - 1) / 3;
  double w = self->target.size.width / 3, h = self->target.size.height / 3;
  g_autofree char *text = NULL;

  graphene_rect_init (&self->target, self->target.origin.x + col * w,
                      self->target.origin.y + row * h, w, h);
  /* Show the chosen cell large, with some context around it. */
  set_view_around (self, self->target.origin.x + w / 2, self->target.origin.y + h / 2, w * 3,
                   h * 3);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  text = g_strdup_printf (_ ("Cell %d. Point at %d%% from left, %d%% from top. Enter places the "
                             "corner here."),
                          digit, pct (self->target.origin.x + w / 2, image_w (self)),
                          pct (self->target.origin.y + h / 2, image_h (self)));
  announce (self, text, TRUE);
}

static void
grid_start (AlBoxCanvas *self)
{
  int sel = al_box_model_get_selected (self->model);
  const char *what;
  g_autofree char *text = NULL;

  self->grid = TRUE;
  self->target = self->view;
  if (self->placing)
    what = _ ("the second corner of the new box");
  else if (sel >= 0)
    what = self->corner == 0 ? _ ("the top-left corner") : _ ("the bottom-right corner");
  else
    what = _ ("the first corner of a new box");
  text = g_strdup_printf (_ ("Grid on. Choose a cell with 1 to 9 to place %s; Escape leaves the "
                             "grid."),
                          what);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  announce (self, text, TRUE);
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
      announce (self, _ ("First corner placed. Press G to place the second corner."), TRUE);
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

gboolean
al_box_canvas_handle_key (AlBoxCanvas *self, guint keyval, GdkModifierType state)
{
  GdkModifierType mods = state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK);
  gboolean ctrl = mods & GDK_CONTROL_MASK, shift = mods & GDK_SHIFT_MASK, alt = mods & GDK_ALT_MASK;
  double dx = 0, dy = 0;
  int digit = -1;

  g_return_val_if_fail (AL_IS_BOX_CANVAS (self), FALSE);
  if (self->model == NULL)
    return FALSE;
  /* The feedback picture only zooms. */
  if (self->reference && keyval != GDK_KEY_plus && keyval != GDK_KEY_KP_Add
      && keyval != GDK_KEY_equal && keyval != GDK_KEY_minus && keyval != GDK_KEY_KP_Subtract
      && keyval != GDK_KEY_0 && keyval != GDK_KEY_KP_0)
    return FALSE;

  if (keyval >= GDK_KEY_1 && keyval <= GDK_KEY_9)
    digit = keyval - GDK_KEY_0;
  else if (keyval >= GDK_KEY_KP_1 && keyval <= GDK_KEY_KP_9)
    digit = keyval - GDK_KEY_KP_0;

  if (self->grid)
    {
      if (digit > 0 && !ctrl && !alt)
        grid_pick (self, digit);
      else if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) && !ctrl)
        grid_enter (self);
      else if (keyval == GDK_KEY_Escape || keyval == GDK_KEY_g || keyval == GDK_KEY_G)
        {
          grid_stop (self);
          announce (self, _ ("Grid off."), TRUE);
        }
      else
        return FALSE;
      return TRUE;
    }

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      dx = -1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      dx = 1;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      dy = -1;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      dy = 1;
      break;
    default:
      break;
    }

  if (dx != 0 || dy != 0)
    {
      if (al_box_model_get_selected (self->model) < 0)
        {
          announce (self, _ ("No box selected. Press N for a new box or Tab to select one."), TRUE);
          return TRUE;
        }
      if (ctrl)
        {
          /* Ctrl moves the right or bottom edge, Ctrl+Shift the left or top. */
          double step = 0.01 * (dx != 0 ? image_w (self) : image_h (self));
          AlEdge edge = dx != 0 ? (shift ? AL_EDGE_LEFT : AL_EDGE_RIGHT)
                                : (shift ? AL_EDGE_TOP : AL_EDGE_BOTTOM);
          al_box_model_move_edge (self->model, edge, (dx + dy) * step);
        }
      else if (alt)
        al_box_model_move (self->model, dx, dy);
      else
        {
          double f = shift ? 0.10 : 0.01;
          al_box_model_move (self->model, dx * f * image_w (self), dy * f * image_h (self));
        }
      changed (self, TRUE);
      return TRUE;
    }

  if (ctrl)
    {
      if ((keyval == GDK_KEY_z || keyval == GDK_KEY_Z) && !shift)
        {
          announce (self, al_box_model_undo (self->model) ? _ ("Undone.") : _ ("Nothing to undo."),
                    TRUE);
          changed (self, TRUE);
          return TRUE;
        }
      if (((keyval == GDK_KEY_z || keyval == GDK_KEY_Z) && shift) || keyval == GDK_KEY_y)
        {
          announce (self, al_box_model_redo (self->model) ? _ ("Redone.") : _ ("Nothing to redo."),
                    TRUE);
          changed (self, TRUE);
          return TRUE;
        }
      return FALSE;
    }
  if (alt)
    return FALSE;

  if (digit > 0)
    {
      if (al_box_model_get_selected (self->model) < 0)
        announce (self, _ ("Select a box first, then press its label number."), TRUE);
      else if (label_name (self, digit - 1) == NULL)
        {
          g_autofree char *text = g_strdup_printf (_ ("There is no label %d. The labels go from 1 "
                                                      "to %u."),
                                                   digit, g_strv_length (self->labels));
          announce (self, text, TRUE);
        }
      else
        {
          al_box_model_set_label (self->model, digit - 1);
          changed (self, TRUE);
        }
      return TRUE;
    }

  switch (keyval)
    {
    case GDK_KEY_n:
    case GDK_KEY_N:
      al_box_model_add_centered (self->model);
      self->corner = 0;
      changed (self, TRUE);
      return TRUE;
    case GDK_KEY_Tab:
    case GDK_KEY_ISO_Left_Tab:
      /* Tab walks the boxes; past the last one it leaves the canvas, so
       * the keyboard is never trapped here. */
      if (!al_box_model_select_next (self->model, keyval == GDK_KEY_ISO_Left_Tab || shift ? -1 : 1))
        return FALSE;
      self->corner = 0;
      changed (self, FALSE);
      return TRUE;
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
    case GDK_KEY_BackSpace:
      if (al_box_model_get_selected (self->model) < 0)
        return TRUE;
      al_box_model_delete (self->model);
      announce (self, _ ("Box deleted."), TRUE);
      changed (self, TRUE);
      return TRUE;
    case GDK_KEY_Escape:
      if (al_box_model_get_selected (self->model) < 0 && !self->placing)
        return FALSE;
      self->placing = FALSE;
      al_box_model_select (self->model, -1);
      changed (self, FALSE);
      return TRUE;
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      zoom_by (self, 1.5);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      zoom_by (self, 1 / 1.5);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      fit (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      announce (self, _ ("Whole image in view."), TRUE);
      return TRUE;
    case GDK_KEY_g:
    case GDK_KEY_G:
      grid_start (self);
      return TRUE;
    case GDK_KEY_c:
    case GDK_KEY_C:
      if (al_box_model_get_selected (self->model) < 0)
        return TRUE;
      self->corner = !self->corner;
      announce (self,
                self->corner == 0 ? _ ("The grid now places the top-left corner.")
                                  : _ ("The grid now places the bottom-right corner."),
                TRUE);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
key_pressed (GtkEventControllerKey *controller,
             guint keyval,
             guint keycode,
             GdkModifierType state,
             AlBoxCanvas *self)
{
  return al_box_canvas_handle_key (self, keyval, state);
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

      outline (snapshot, &r, selected ? 6 : 4, &black, selected ? &yellow : &white);
      draw_tag (self, snapshot, r.origin.x, r.origin.y, tag, selected);
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
        }
    }

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
  g_clear_object (&self->texture);
  clear_levels (self);
  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->model, al_box_model_free);
  g_clear_pointer (&self->reference, json_decref);
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
}

static void
al_box_canvas_init (AlBoxCanvas *self)
{
  GtkEventController *keys;
  GtkGesture *drag;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Photo with boxes"), -1);

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

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
