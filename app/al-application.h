/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "al-keymap.h"
#include "al-queue.h"
#include "al-settings.h"
#include "al-speech.h"
#include "al-store.h"

G_BEGIN_DECLS

#define AL_TYPE_APPLICATION (al_application_get_type ())
G_DECLARE_FINAL_TYPE (AlApplication, al_application, AL, APPLICATION, GtkApplication)

/* What the command line asked for; read by the window. */
typedef struct
{
  char *local_db;
  gboolean no_demo;
  char *queue_url;
  char *token;
  char *participant;
  gboolean voice;
  char *speech_log;
  char *event_log;
  char *keys;
  char *plan;
  char *warn;
  char *grace;
  char *language;
  char *sink;
  char *speech_output;
  int text_scale;
} AlOptions;

void            al_application_init_i18n    (void);
AlApplication  *al_application_new          (void);
const AlOptions *al_application_get_options (AlApplication *self);
AlQueue        *al_application_get_queue    (AlApplication *self);
AlStore        *al_application_get_store    (AlApplication *self);
gint64          al_application_started_us   (AlApplication *self);
AlSpeech       *al_application_get_speech   (AlApplication *self);
gboolean       al_application_get_screen_reader (AlApplication *self);
AlKeymap       *al_application_get_keymap   (AlApplication *self);
/* Why the key file is not used, or NULL. */
const char     *al_application_get_keys_problem (AlApplication *self);
/* --event-log: one line per event, "ms<TAB>event<TAB>task<TAB>detail",
 * on the speech log's clock (milliseconds since the process started). */
void            al_application_log_event    (AlApplication *self,
                                             const char    *event,
                                             const char    *task_id,
                                             const char    *detail);
/* The participant's settings, loaded at start; the settings screen changes
 * and saves them. */
AlSettings     *al_application_get_settings (AlApplication *self);

G_END_DECLS
