/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  AL_BREAK_VIEW_BREAK,   /* the planned break: cannot be skipped */
  AL_BREAK_VIEW_PAUSE,   /* an extra pause the participant asked for */
  AL_BREAK_VIEW_ENDED,   /* the session is over: a summary */
} AlBreakViewKind;

#define AL_TYPE_BREAK_VIEW (al_break_view_get_type ())
G_DECLARE_FINAL_TYPE (AlBreakView, al_break_view, AL, BREAK_VIEW, GtkWidget)

/* A calm full-window view for breaks, pauses and the end of the day. Keys
 * are ignored for the first seconds so typing cannot dismiss anything. */
AlBreakView *al_break_view_new           (void);
void         al_break_view_show          (AlBreakView    *self,
                                          AlBreakViewKind kind,
                                          const char     *title,
                                          const char     *body);
void         al_break_view_set_remaining (AlBreakView    *self,
                                          gint64          ms);
gboolean     al_break_view_accepts_keys  (AlBreakView    *self);
/* The keys in force that end a pause and quit, for the hints ("Ctrl+P"). */
void         al_break_view_set_keys      (AlBreakView    *self,
                                          const char     *pause_keys,
                                          const char     *quit_keys);

G_END_DECLS
