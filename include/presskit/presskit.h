/*
 * presskit/presskit.h - the umbrella header of the presskit SDK.
 *
 * Include this one header to use libpresskit or to write a plugin.
 */
#ifndef PRESSKIT_PRESSKIT_H
#define PRESSKIT_PRESSKIT_H

#include "common.h"
#include "diag.h"
#include "value.h"
#include "node.h"
#include "doc.h"
#include "sink.h"
#include "options.h"
#include "plugin.h"
#include "context.h"
#include "analysis.h"
#include "utf8.h"

#endif
