/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-break-view.h"
#include "al-earcon.h"
#include "al-pacing.h"
#include "al-window.h"

G_BEGIN_DECLS

struct _AlWindow
{
  GtkApplicationWindow parent_instance;

  /* Template widgets */
  GtkBox *topbar;
  GtkScrolledWindow *page_scroller;
  GtkLabel *progress_label;
  GtkLabel *clock_label;
  GtkLabel *connection_label;
  GtkLabel *notice_label;
  GtkStack *stack;
  GtkLabel *message_title;
  GtkLabel *message_body;
  GtkLabel *status_label;
  GtkButton *submit_button;
  GtkMenuButton *menu_button;
  GtkButton *key_help_button;
  GtkButton *ask_help_button;

  /* Borrowed */
  AlApplication *app;
  AlQueue *queue;
  AlStore *store;

  /* Owned */
  AlBreakView *break_view;
  AlPacing *pacing;
  guint tick_source;
  gint64 saved_us;
  int tasks_done;
  AlTask *task;
  AlEditor *editors[AL_TASK_N_KINDS];
  GCancellable *cancellable;
  guint draft_source;
  guint notice_source;
  gboolean notice_asks;  /* the notice says what the task still needs */
  gint64 shown_us;
  gint64 submitted_us;
  json_t *reference;        /* the last scored task's reference answer */
  AlTaskKind reference_kind;
  char *reference_language; /* of a reference transcript */
  gboolean busy;
  char *pass_reason;        /* of the task being passed on, for the words afterwards */
  int closing;              /* 1: sending the session's end, 2: sent or given up */
  gboolean first_task_logged;
  gboolean speech_holds_audio;  /* the task audio waits while speech is due */
  GtkWindow *settings_dialog;  /* weak */
  /* The feedback picture of a finished box task is on screen until the
   * participant goes on with Ctrl+Enter. */
  gboolean reviewing;
  int review_number;
  char *review_words;
  /* Voice mode */
  GPtrArray *held_words;     /* what an editor says while its task loads */
  char *last_instructions;   /* the experienced level says them when they change */
  gboolean flushed;
  guint goodbye_source;
  gint64 goodbye_until_us;
};

/* al-window.c */
void     al_window_show_notice      (AlWindow   *self,
                                     const char *css,
                                     const char *text);
void     al_window_load_next        (AlWindow   *self);
void     al_window_save_draft_now   (AlWindow   *self);
void     al_window_show_task_page   (AlWindow   *self);
char    *al_window_unsent_text      (AlWindow   *self);
void     al_window_submit           (AlWindow   *self);

/* al-window-actions.c: every action of the window, its keys and labels. */
void     al_window_actions_init     (AlWindow   *self);
void     al_window_actions_set_enabled (AlWindow   *self,
                                        const char *action,
                                        gboolean    enabled);
/* The keys in force of @action ("win.submit") for people, "Ctrl+Enter". */
char    *al_window_keys_of          (AlWindow   *self,
                                     const char *action);
/* The name of @action's button or menu item with its keys, "Submit (Ctrl+Enter)". */
char    *al_window_label            (AlWindow   *self,
                                     const char *action);
/* "Submit (Ctrl+Enter)", or after a scored box task "Next task (Ctrl+Enter)". */
void     al_window_set_submit_label (AlWindow   *self,
                                     gboolean    next);
/* The key help of the task shown and the window (AlKeyHelp lines). */
GPtrArray *al_window_key_help       (AlWindow   *self);
/* A "Close (Escape)" button for @dialog; the key closes it too, and gives
 * the keyboard back to the task, also where no window manager does. */
GtkWidget *al_window_dialog_close_button (AlWindow  *self,
                                          GtkWindow *dialog);

/* Speech only: for text that has a place of its own on the screen;
 * language NULL: the session language. */
void     al_window_speak            (AlWindow   *self,
                                     AlSpeechPriority  priority,
                                     const char *language,
                                     const char *text);
void     al_window_hold_for_speech  (AlWindow   *self,
                                     gboolean    hold);

/* al-window-voice.c: voice mode's words, tones and key list. */
gboolean al_window_experienced      (AlWindow   *self);
void     al_window_set_verbosity    (AlWindow   *self,
                                     AlVerbosity verbosity);
void     al_window_earcon           (AlWindow   *self,
                                     AlSpeechPriority  priority,
                                     AlEarcon    earcon,
                                     const char *word);
void     al_window_voice_init       (AlWindow   *self);
void     al_window_voice_key_list   (AlWindow   *self,
                                     const char *help);
void     al_window_dialog_closed    (AlWindow   *self,
                                     const char *title);
void     al_window_say_goodbye      (AlWindow   *self);

/* al-window-session.c: the pacing of the working day. */
void     al_window_session_start    (AlWindow   *self);
void     al_window_session_stop     (AlWindow   *self);
gboolean al_window_session_open     (AlWindow   *self);
void     al_window_session_task_shown (AlWindow *self);
gboolean al_window_session_task_done  (AlWindow *self);
char    *al_window_session_describe (AlWindow   *self);
void     al_window_session_notice   (AlWindow   *self,
                                     json_t     *notice);
void     al_window_session_toggle_pause (AlWindow *self);
void     al_window_session_quit     (AlWindow   *self);

/* al-window-pass.c: "I can't do this one" (F4). */
void     al_window_pass             (AlWindow   *self);

/* al-window-settings.c: the settings screen and high contrast. */
void     al_window_settings_init    (AlWindow   *self);
void     al_window_settings_apply_editor (AlWindow *self,
                                          AlEditor *editor);
gboolean al_window_high_contrast    (AlWindow   *self);
void     al_window_settings_show    (AlWindow   *self);
void     al_window_settings_set_contrast (AlWindow *self,
                                          gboolean  on);
void     al_window_reveal_focus     (AlWindow   *self);
void     al_window_style_dialog     (AlWindow   *self,
                                     GtkWindow  *dialog);

G_END_DECLS
