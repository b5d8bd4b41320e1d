/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <jansson.h>

G_BEGIN_DECLS

#ifndef AL_JSON_AUTOPTR_DEFINED
#define AL_JSON_AUTOPTR_DEFINED
G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)
#endif

#define AL_PLAN_ERROR (al_plan_error_quark ())
GQuark al_plan_error_quark (void);

typedef enum
{
  AL_PLAN_ERROR_INVALID,
} AlPlanError;

#define AL_PLAN_MAX_WARNINGS 8

/* A session plan: blocks of work with breaks between them. */
typedef struct
{
  gint64 work_ms;
  gint64 break_ms;
  int blocks;
  gboolean room;               /* room rhythm: blocks on the clock from room_start */
  int room_start_minute;       /* minutes after local midnight */
  gint64 warn_ms[AL_PLAN_MAX_WARNINGS];
  int n_warn;                  /* sorted longest first */
  gint64 grace_ms;
} AlPlan;

void     al_plan_init_default    (AlPlan      *plan);
gboolean al_duration_parse       (const char  *text,
                                  gint64      *ms,
                                  GError     **error);
gboolean al_plan_parse           (const char  *text,
                                  AlPlan      *plan,
                                  GError     **error);
gboolean al_plan_parse_warnings  (const char  *text,
                                  AlPlan      *plan,
                                  GError     **error);
gboolean al_plan_from_json       (json_t      *json,
                                  AlPlan      *plan,
                                  GError     **error);
json_t  *al_plan_to_json         (const AlPlan *plan);

G_END_DECLS
