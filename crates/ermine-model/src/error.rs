//! Error bodies the API sends: `{"type": ..., extra fields, "location"?}`.
//!
//! [`ApiError`] has one variant per error `type` the server defines (server 0.16.2, 96 types),
//! each with its extra fields, and [`ApiError::Unknown`] for types added later. This file
//! is generated from the official error list (`testdata/api/errors.json`); keep it in step.

#![allow(
    clippy::match_same_arms,
    clippy::too_many_lines,
    clippy::collapsible_match
)]

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::permission::{Permissions, UserPermissions};

/// An error `type` with its extra fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiError {
    /// `LabelMe` (HTTP 500).
    LabelMe,
    /// `ContactSupport` (HTTP 400).
    ///
    /// New in revolt-result 0.16.x; not in the 0.14.3 OpenAPI.
    ContactSupport {
        /// `locale` field.
        locale: String,
        /// `msg` field.
        msg: String,
    },
    /// `AlreadyOnboarded` (HTTP 403).
    AlreadyOnboarded,
    /// `UsernameTaken` (HTTP 409).
    UsernameTaken,
    /// `InvalidUsername` (HTTP 400).
    InvalidUsername,
    /// `DiscriminatorChangeRatelimited` (HTTP 429).
    DiscriminatorChangeRatelimited,
    /// `UnknownUser` (HTTP 404).
    UnknownUser,
    /// `AlreadyFriends` (HTTP 409).
    AlreadyFriends,
    /// `AlreadySentRequest` (HTTP 409).
    AlreadySentRequest,
    /// `Blocked` (HTTP 409).
    Blocked,
    /// `BlockedByOther` (HTTP 403).
    BlockedByOther,
    /// `NotFriends` (HTTP 403).
    NotFriends,
    /// `TooManyPendingFriendRequests` (HTTP 400).
    TooManyPendingFriendRequests {
        /// `max` field.
        max: u64,
    },
    /// `UnknownChannel` (HTTP 404).
    UnknownChannel,
    /// `UnknownAttachment` (HTTP 400).
    UnknownAttachment,
    /// `UnknownMessage` (HTTP 404).
    UnknownMessage,
    /// `CannotDeleteMessage` (HTTP 403).
    CannotDeleteMessage,
    /// `CannotEditMessage` (HTTP 403).
    CannotEditMessage,
    /// `CannotJoinCall` (HTTP 400).
    CannotJoinCall,
    /// `TooManyAttachments` (HTTP 400).
    TooManyAttachments {
        /// `max` field.
        max: u64,
    },
    /// `TooManyEmbeds` (HTTP 400).
    TooManyEmbeds {
        /// `max` field.
        max: u64,
    },
    /// `TooManyReplies` (HTTP 400).
    TooManyReplies {
        /// `max` field.
        max: u64,
    },
    /// `TooManyChannels` (HTTP 400).
    TooManyChannels {
        /// `max` field.
        max: u64,
    },
    /// `EmptyMessage` (HTTP 422).
    EmptyMessage,
    /// `PayloadTooLarge` (HTTP 422).
    PayloadTooLarge,
    /// `CannotRemoveYourself` (HTTP 400).
    CannotRemoveYourself,
    /// `GroupTooLarge` (HTTP 403).
    GroupTooLarge {
        /// `max` field.
        max: u64,
    },
    /// `AlreadyInGroup` (HTTP 409).
    AlreadyInGroup,
    /// `NotInGroup` (HTTP 404).
    NotInGroup,
    /// `AlreadyPinned` (HTTP 400).
    AlreadyPinned,
    /// `NotPinned` (HTTP 400).
    NotPinned,
    /// `InSlowmode` (HTTP 429).
    ///
    /// retry_after is in seconds (Redis TTL), unlike the 429 rate-limit body whose retry_after is in milliseconds.
    InSlowmode {
        /// `retry_after` field.
        retry_after: u64,
    },
    /// `CantCreateServers` (HTTP 403).
    CantCreateServers,
    /// `UnknownServer` (HTTP 404).
    UnknownServer,
    /// `InvalidRole` (HTTP 404).
    InvalidRole,
    /// `Banned` (HTTP 403).
    Banned,
    /// `TooManyServers` (HTTP 400).
    TooManyServers {
        /// `max` field.
        max: u64,
    },
    /// `TooManyEmoji` (HTTP 400).
    TooManyEmoji {
        /// `max` field.
        max: u64,
    },
    /// `TooManyRoles` (HTTP 400).
    TooManyRoles {
        /// `max` field.
        max: u64,
    },
    /// `AlreadyInServer` (HTTP 409).
    AlreadyInServer,
    /// `CannotTimeoutYourself` (HTTP 400).
    CannotTimeoutYourself,
    /// `ReachedMaximumBots` (HTTP 400).
    ReachedMaximumBots,
    /// `IsBot` (HTTP 400).
    IsBot,
    /// `IsNotBot` (HTTP 400).
    IsNotBot,
    /// `BotIsPrivate` (HTTP 403).
    BotIsPrivate,
    /// `CannotReportYourself` (HTTP 400).
    CannotReportYourself,
    /// `MissingPermission` (HTTP 403).
    ///
    /// permission is the Debug name of a ChannelPermission or UserPermission variant, e.g. "KickMembers" or "SendMessage" (user-permission checks also raise MissingPermission, never MissingUserPermission).
    MissingPermission {
        /// `permission` field.
        permission: String,
    },
    /// `MissingUserPermission` (HTTP 403).
    MissingUserPermission {
        /// `permission` field.
        permission: String,
    },
    /// `NotElevated` (HTTP 403).
    NotElevated,
    /// `NotPrivileged` (HTTP 403).
    NotPrivileged,
    /// `CannotGiveMissingPermissions` (HTTP 403).
    CannotGiveMissingPermissions,
    /// `NotOwner` (HTTP 403).
    NotOwner,
    /// `IsElevated` (HTTP 403).
    IsElevated,
    /// `DatabaseError` (HTTP 500).
    DatabaseError {
        /// `operation` field.
        operation: String,
        /// `collection` field.
        collection: String,
    },
    /// `InternalError` (HTTP 500).
    InternalError,
    /// `InvalidOperation` (HTTP 400).
    InvalidOperation,
    /// `InvalidCredentials` (HTTP 401).
    InvalidCredentials,
    /// `InvalidProperty` (HTTP 400).
    InvalidProperty,
    /// `InvalidSession` (HTTP 401).
    InvalidSession,
    /// `InvalidFlagValue` (HTTP 400).
    InvalidFlagValue,
    /// `NotAuthenticated` (HTTP 401).
    NotAuthenticated,
    /// `DuplicateNonce` (HTTP 409).
    DuplicateNonce,
    /// `NotFound` (HTTP 404).
    NotFound,
    /// `NoEffect` (HTTP 400).
    NoEffect,
    /// `FailedValidation` (HTTP 400).
    ///
    /// error is the Display string of validator::ValidationErrors, e.g. "nickname: Validation error: length \[...\]".
    FailedValidation {
        /// `error` field.
        error: String,
    },
    /// `HeaderTooLarge` (HTTP 400).
    HeaderTooLarge,
    /// `OperationFailed` (HTTP 500).
    OperationFailed,
    /// `IncorrectData` (HTTP 400).
    IncorrectData {
        /// `with` field.
        r#with: String,
    },
    /// `LiveKitUnavailable` (HTTP 400).
    LiveKitUnavailable,
    /// `NotAVoiceChannel` (HTTP 400).
    NotAVoiceChannel,
    /// `AlreadyConnected` (HTTP 400).
    AlreadyConnected,
    /// `NotConnected` (HTTP 400).
    NotConnected,
    /// `UnknownNode` (HTTP 400).
    UnknownNode,
    /// `ProxyError` (HTTP 400).
    ProxyError,
    /// `FileTooSmall` (HTTP 422).
    FileTooSmall,
    /// `FileTooLarge` (HTTP 422).
    FileTooLarge {
        /// `max` field.
        max: u64,
    },
    /// `FileTypeNotAllowed` (HTTP 400).
    FileTypeNotAllowed,
    /// `ImageProcessingFailed` (HTTP 500).
    ImageProcessingFailed,
    /// `NoEmbedData` (HTTP 400).
    NoEmbedData,
    /// `VosoUnavailable` (HTTP 400).
    VosoUnavailable,
    /// `FeatureDisabled` (HTTP 400).
    FeatureDisabled {
        /// `feature` field.
        feature: String,
    },
    /// `RenderFail` (HTTP 500).
    RenderFail,
    /// `MissingHeaders` (HTTP 400).
    MissingHeaders,
    /// `CaptchaFailed` (HTTP 400).
    CaptchaFailed,
    /// `BlockedByShield` (HTTP 400).
    BlockedByShield,
    /// `UnverifiedAccount` (HTTP 403).
    UnverifiedAccount,
    /// `EmailFailed` (HTTP 500).
    EmailFailed,
    /// `InvalidToken` (HTTP 401).
    InvalidToken,
    /// `MissingInvite` (HTTP 400).
    MissingInvite,
    /// `InvalidInvite` (HTTP 400).
    InvalidInvite,
    /// `CompromisedPassword` (HTTP 400).
    CompromisedPassword,
    /// `ShortPassword` (HTTP 400).
    ShortPassword,
    /// `Blacklisted` (HTTP 401).
    ///
    /// Never serialised as {"type":"Blacklisted"}: the rocket/axum responders return HTTP 401 with the literal body {"type":"DisallowedContactSupport", "note":"If you see this messages right here, you're probably doing something you shouldn't be."}
    Blacklisted,
    /// `LockedOut` (HTTP 403).
    LockedOut,
    /// `TotpAlreadyEnabled` (HTTP 400).
    TotpAlreadyEnabled,
    /// `DisallowedMFAMethod` (HTTP 400).
    DisallowedMFAMethod,
    /// A `type` this version does not know: the type and the whole body.
    Unknown {
        /// The `type` string.
        r#type: String,
        /// The whole body.
        body: serde_json::Value,
    },
}

impl ApiError {
    /// The `type` string on the wire.
    pub fn type_name(&self) -> &str {
        match self {
            Self::LabelMe => "LabelMe",
            Self::ContactSupport { .. } => "ContactSupport",
            Self::AlreadyOnboarded => "AlreadyOnboarded",
            Self::UsernameTaken => "UsernameTaken",
            Self::InvalidUsername => "InvalidUsername",
            Self::DiscriminatorChangeRatelimited => "DiscriminatorChangeRatelimited",
            Self::UnknownUser => "UnknownUser",
            Self::AlreadyFriends => "AlreadyFriends",
            Self::AlreadySentRequest => "AlreadySentRequest",
            Self::Blocked => "Blocked",
            Self::BlockedByOther => "BlockedByOther",
            Self::NotFriends => "NotFriends",
            Self::TooManyPendingFriendRequests { .. } => "TooManyPendingFriendRequests",
            Self::UnknownChannel => "UnknownChannel",
            Self::UnknownAttachment => "UnknownAttachment",
            Self::UnknownMessage => "UnknownMessage",
            Self::CannotDeleteMessage => "CannotDeleteMessage",
            Self::CannotEditMessage => "CannotEditMessage",
            Self::CannotJoinCall => "CannotJoinCall",
            Self::TooManyAttachments { .. } => "TooManyAttachments",
            Self::TooManyEmbeds { .. } => "TooManyEmbeds",
            Self::TooManyReplies { .. } => "TooManyReplies",
            Self::TooManyChannels { .. } => "TooManyChannels",
            Self::EmptyMessage => "EmptyMessage",
            Self::PayloadTooLarge => "PayloadTooLarge",
            Self::CannotRemoveYourself => "CannotRemoveYourself",
            Self::GroupTooLarge { .. } => "GroupTooLarge",
            Self::AlreadyInGroup => "AlreadyInGroup",
            Self::NotInGroup => "NotInGroup",
            Self::AlreadyPinned => "AlreadyPinned",
            Self::NotPinned => "NotPinned",
            Self::InSlowmode { .. } => "InSlowmode",
            Self::CantCreateServers => "CantCreateServers",
            Self::UnknownServer => "UnknownServer",
            Self::InvalidRole => "InvalidRole",
            Self::Banned => "Banned",
            Self::TooManyServers { .. } => "TooManyServers",
            Self::TooManyEmoji { .. } => "TooManyEmoji",
            Self::TooManyRoles { .. } => "TooManyRoles",
            Self::AlreadyInServer => "AlreadyInServer",
            Self::CannotTimeoutYourself => "CannotTimeoutYourself",
            Self::ReachedMaximumBots => "ReachedMaximumBots",
            Self::IsBot => "IsBot",
            Self::IsNotBot => "IsNotBot",
            Self::BotIsPrivate => "BotIsPrivate",
            Self::CannotReportYourself => "CannotReportYourself",
            Self::MissingPermission { .. } => "MissingPermission",
            Self::MissingUserPermission { .. } => "MissingUserPermission",
            Self::NotElevated => "NotElevated",
            Self::NotPrivileged => "NotPrivileged",
            Self::CannotGiveMissingPermissions => "CannotGiveMissingPermissions",
            Self::NotOwner => "NotOwner",
            Self::IsElevated => "IsElevated",
            Self::DatabaseError { .. } => "DatabaseError",
            Self::InternalError => "InternalError",
            Self::InvalidOperation => "InvalidOperation",
            Self::InvalidCredentials => "InvalidCredentials",
            Self::InvalidProperty => "InvalidProperty",
            Self::InvalidSession => "InvalidSession",
            Self::InvalidFlagValue => "InvalidFlagValue",
            Self::NotAuthenticated => "NotAuthenticated",
            Self::DuplicateNonce => "DuplicateNonce",
            Self::NotFound => "NotFound",
            Self::NoEffect => "NoEffect",
            Self::FailedValidation { .. } => "FailedValidation",
            Self::HeaderTooLarge => "HeaderTooLarge",
            Self::OperationFailed => "OperationFailed",
            Self::IncorrectData { .. } => "IncorrectData",
            Self::LiveKitUnavailable => "LiveKitUnavailable",
            Self::NotAVoiceChannel => "NotAVoiceChannel",
            Self::AlreadyConnected => "AlreadyConnected",
            Self::NotConnected => "NotConnected",
            Self::UnknownNode => "UnknownNode",
            Self::ProxyError => "ProxyError",
            Self::FileTooSmall => "FileTooSmall",
            Self::FileTooLarge { .. } => "FileTooLarge",
            Self::FileTypeNotAllowed => "FileTypeNotAllowed",
            Self::ImageProcessingFailed => "ImageProcessingFailed",
            Self::NoEmbedData => "NoEmbedData",
            Self::VosoUnavailable => "VosoUnavailable",
            Self::FeatureDisabled { .. } => "FeatureDisabled",
            Self::RenderFail => "RenderFail",
            Self::MissingHeaders => "MissingHeaders",
            Self::CaptchaFailed => "CaptchaFailed",
            Self::BlockedByShield => "BlockedByShield",
            Self::UnverifiedAccount => "UnverifiedAccount",
            Self::EmailFailed => "EmailFailed",
            Self::InvalidToken => "InvalidToken",
            Self::MissingInvite => "MissingInvite",
            Self::InvalidInvite => "InvalidInvite",
            Self::CompromisedPassword => "CompromisedPassword",
            Self::ShortPassword => "ShortPassword",
            Self::Blacklisted => "DisallowedContactSupport",
            Self::LockedOut => "LockedOut",
            Self::TotpAlreadyEnabled => "TotpAlreadyEnabled",
            Self::DisallowedMFAMethod => "DisallowedMFAMethod",
            Self::Unknown { r#type, .. } => r#type,
        }
    }

    /// The HTTP status the server answers this error with (`Unknown`: 500).
    pub fn status(&self) -> u16 {
        match self {
            Self::ContactSupport { .. }
            | Self::InvalidUsername
            | Self::TooManyPendingFriendRequests { .. }
            | Self::UnknownAttachment
            | Self::CannotJoinCall
            | Self::TooManyAttachments { .. }
            | Self::TooManyEmbeds { .. }
            | Self::TooManyReplies { .. }
            | Self::TooManyChannels { .. }
            | Self::CannotRemoveYourself
            | Self::AlreadyPinned
            | Self::NotPinned
            | Self::TooManyServers { .. }
            | Self::TooManyEmoji { .. }
            | Self::TooManyRoles { .. }
            | Self::CannotTimeoutYourself
            | Self::ReachedMaximumBots
            | Self::IsBot
            | Self::IsNotBot
            | Self::CannotReportYourself
            | Self::InvalidOperation
            | Self::InvalidProperty
            | Self::InvalidFlagValue
            | Self::NoEffect
            | Self::FailedValidation { .. }
            | Self::HeaderTooLarge
            | Self::IncorrectData { .. }
            | Self::LiveKitUnavailable
            | Self::NotAVoiceChannel
            | Self::AlreadyConnected
            | Self::NotConnected
            | Self::UnknownNode
            | Self::ProxyError
            | Self::FileTypeNotAllowed
            | Self::NoEmbedData
            | Self::VosoUnavailable
            | Self::FeatureDisabled { .. }
            | Self::MissingHeaders
            | Self::CaptchaFailed
            | Self::BlockedByShield
            | Self::MissingInvite
            | Self::InvalidInvite
            | Self::CompromisedPassword
            | Self::ShortPassword
            | Self::TotpAlreadyEnabled
            | Self::DisallowedMFAMethod => 400,
            Self::InvalidCredentials
            | Self::InvalidSession
            | Self::NotAuthenticated
            | Self::InvalidToken
            | Self::Blacklisted => 401,
            Self::AlreadyOnboarded
            | Self::BlockedByOther
            | Self::NotFriends
            | Self::CannotDeleteMessage
            | Self::CannotEditMessage
            | Self::GroupTooLarge { .. }
            | Self::CantCreateServers
            | Self::Banned
            | Self::BotIsPrivate
            | Self::MissingPermission { .. }
            | Self::MissingUserPermission { .. }
            | Self::NotElevated
            | Self::NotPrivileged
            | Self::CannotGiveMissingPermissions
            | Self::NotOwner
            | Self::IsElevated
            | Self::UnverifiedAccount
            | Self::LockedOut => 403,
            Self::UnknownUser
            | Self::UnknownChannel
            | Self::UnknownMessage
            | Self::NotInGroup
            | Self::UnknownServer
            | Self::InvalidRole
            | Self::NotFound => 404,
            Self::UsernameTaken
            | Self::AlreadyFriends
            | Self::AlreadySentRequest
            | Self::Blocked
            | Self::AlreadyInGroup
            | Self::AlreadyInServer
            | Self::DuplicateNonce => 409,
            Self::EmptyMessage
            | Self::PayloadTooLarge
            | Self::FileTooSmall
            | Self::FileTooLarge { .. } => 422,
            Self::DiscriminatorChangeRatelimited | Self::InSlowmode { .. } => 429,
            Self::LabelMe
            | Self::DatabaseError { .. }
            | Self::InternalError
            | Self::OperationFailed
            | Self::ImageProcessingFailed
            | Self::RenderFail
            | Self::EmailFailed => 500,
            Self::Unknown { .. } => 500,
        }
    }

    /// The missing permission of a `MissingPermission` error, when it names a server or
    /// channel permission.
    pub fn missing_permission(&self) -> Option<Permissions> {
        match self {
            Self::MissingPermission { permission } => Permissions::from_api_name(permission),
            _ => None,
        }
    }

    /// The missing user permission of a `MissingPermission` or `MissingUserPermission`
    /// error, when it names one.
    pub fn missing_user_permission(&self) -> Option<UserPermissions> {
        match self {
            Self::MissingPermission { permission } | Self::MissingUserPermission { permission } => {
                UserPermissions::from_api_name(permission)
            }
            _ => None,
        }
    }

    fn from_object(mut body: serde_json::Map<String, serde_json::Value>) -> Result<Self, String> {
        let r#type = match body.get("type") {
            Some(serde_json::Value::String(t)) => t.clone(),
            _ => return Err("an error body needs a string \"type\"".to_owned()),
        };
        Ok(match r#type.as_str() {
            "LabelMe" => Self::LabelMe,
            "ContactSupport" => Self::ContactSupport {
                locale: field(&mut body, "locale")?,
                msg: field(&mut body, "msg")?,
            },
            "AlreadyOnboarded" => Self::AlreadyOnboarded,
            "UsernameTaken" => Self::UsernameTaken,
            "InvalidUsername" => Self::InvalidUsername,
            "DiscriminatorChangeRatelimited" => Self::DiscriminatorChangeRatelimited,
            "UnknownUser" => Self::UnknownUser,
            "AlreadyFriends" => Self::AlreadyFriends,
            "AlreadySentRequest" => Self::AlreadySentRequest,
            "Blocked" => Self::Blocked,
            "BlockedByOther" => Self::BlockedByOther,
            "NotFriends" => Self::NotFriends,
            "TooManyPendingFriendRequests" => Self::TooManyPendingFriendRequests {
                max: field(&mut body, "max")?,
            },
            "UnknownChannel" => Self::UnknownChannel,
            "UnknownAttachment" => Self::UnknownAttachment,
            "UnknownMessage" => Self::UnknownMessage,
            "CannotDeleteMessage" => Self::CannotDeleteMessage,
            "CannotEditMessage" => Self::CannotEditMessage,
            "CannotJoinCall" => Self::CannotJoinCall,
            "TooManyAttachments" => Self::TooManyAttachments {
                max: field(&mut body, "max")?,
            },
            "TooManyEmbeds" => Self::TooManyEmbeds {
                max: field(&mut body, "max")?,
            },
            "TooManyReplies" => Self::TooManyReplies {
                max: field(&mut body, "max")?,
            },
            "TooManyChannels" => Self::TooManyChannels {
                max: field(&mut body, "max")?,
            },
            "EmptyMessage" => Self::EmptyMessage,
            "PayloadTooLarge" => Self::PayloadTooLarge,
            "CannotRemoveYourself" => Self::CannotRemoveYourself,
            "GroupTooLarge" => Self::GroupTooLarge {
                max: field(&mut body, "max")?,
            },
            "AlreadyInGroup" => Self::AlreadyInGroup,
            "NotInGroup" => Self::NotInGroup,
            "AlreadyPinned" => Self::AlreadyPinned,
            "NotPinned" => Self::NotPinned,
            "InSlowmode" => Self::InSlowmode {
                retry_after: field(&mut body, "retry_after")?,
            },
            "CantCreateServers" => Self::CantCreateServers,
            "UnknownServer" => Self::UnknownServer,
            "InvalidRole" => Self::InvalidRole,
            "Banned" => Self::Banned,
            "TooManyServers" => Self::TooManyServers {
                max: field(&mut body, "max")?,
            },
            "TooManyEmoji" => Self::TooManyEmoji {
                max: field(&mut body, "max")?,
            },
            "TooManyRoles" => Self::TooManyRoles {
                max: field(&mut body, "max")?,
            },
            "AlreadyInServer" => Self::AlreadyInServer,
            "CannotTimeoutYourself" => Self::CannotTimeoutYourself,
            "ReachedMaximumBots" => Self::ReachedMaximumBots,
            "IsBot" => Self::IsBot,
            "IsNotBot" => Self::IsNotBot,
            "BotIsPrivate" => Self::BotIsPrivate,
            "CannotReportYourself" => Self::CannotReportYourself,
            "MissingPermission" => Self::MissingPermission {
                permission: field(&mut body, "permission")?,
            },
            "MissingUserPermission" => Self::MissingUserPermission {
                permission: field(&mut body, "permission")?,
            },
            "NotElevated" => Self::NotElevated,
            "NotPrivileged" => Self::NotPrivileged,
            "CannotGiveMissingPermissions" => Self::CannotGiveMissingPermissions,
            "NotOwner" => Self::NotOwner,
            "IsElevated" => Self::IsElevated,
            "DatabaseError" => Self::DatabaseError {
                operation: field(&mut body, "operation")?,
                collection: field(&mut body, "collection")?,
            },
            "InternalError" => Self::InternalError,
            "InvalidOperation" => Self::InvalidOperation,
            "InvalidCredentials" => Self::InvalidCredentials,
            "InvalidProperty" => Self::InvalidProperty,
            "InvalidSession" => Self::InvalidSession,
            "InvalidFlagValue" => Self::InvalidFlagValue,
            "NotAuthenticated" => Self::NotAuthenticated,
            "DuplicateNonce" => Self::DuplicateNonce,
            "NotFound" => Self::NotFound,
            "NoEffect" => Self::NoEffect,
            "FailedValidation" => Self::FailedValidation {
                error: field(&mut body, "error")?,
            },
            "HeaderTooLarge" => Self::HeaderTooLarge,
            "OperationFailed" => Self::OperationFailed,
            "IncorrectData" => Self::IncorrectData {
                r#with: field(&mut body, "with")?,
            },
            "LiveKitUnavailable" => Self::LiveKitUnavailable,
            "NotAVoiceChannel" => Self::NotAVoiceChannel,
            "AlreadyConnected" => Self::AlreadyConnected,
            "NotConnected" => Self::NotConnected,
            "UnknownNode" => Self::UnknownNode,
            "ProxyError" => Self::ProxyError,
            "FileTooSmall" => Self::FileTooSmall,
            "FileTooLarge" => Self::FileTooLarge {
                max: field(&mut body, "max")?,
            },
            "FileTypeNotAllowed" => Self::FileTypeNotAllowed,
            "ImageProcessingFailed" => Self::ImageProcessingFailed,
            "NoEmbedData" => Self::NoEmbedData,
            "VosoUnavailable" => Self::VosoUnavailable,
            "FeatureDisabled" => Self::FeatureDisabled {
                feature: field(&mut body, "feature")?,
            },
            "RenderFail" => Self::RenderFail,
            "MissingHeaders" => Self::MissingHeaders,
            "CaptchaFailed" => Self::CaptchaFailed,
            "BlockedByShield" => Self::BlockedByShield,
            "UnverifiedAccount" => Self::UnverifiedAccount,
            "EmailFailed" => Self::EmailFailed,
            "InvalidToken" => Self::InvalidToken,
            "MissingInvite" => Self::MissingInvite,
            "InvalidInvite" => Self::InvalidInvite,
            "CompromisedPassword" => Self::CompromisedPassword,
            "ShortPassword" => Self::ShortPassword,
            "DisallowedContactSupport" => Self::Blacklisted,
            "LockedOut" => Self::LockedOut,
            "TotpAlreadyEnabled" => Self::TotpAlreadyEnabled,
            "DisallowedMFAMethod" => Self::DisallowedMFAMethod,
            _ => {
                body.remove("location");
                Self::Unknown {
                    r#type,
                    body: serde_json::Value::Object(body),
                }
            }
        })
    }

    fn to_object(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        map.insert(
            "type".to_owned(),
            serde_json::Value::String(self.type_name().to_owned()),
        );
        match self {
            Self::ContactSupport { locale, msg } => {
                put(&mut map, "locale", locale);
                put(&mut map, "msg", msg);
            }
            Self::TooManyPendingFriendRequests { max } => {
                put(&mut map, "max", max);
            }
            Self::TooManyAttachments { max } => {
                put(&mut map, "max", max);
            }
            Self::TooManyEmbeds { max } => {
                put(&mut map, "max", max);
            }
            Self::TooManyReplies { max } => {
                put(&mut map, "max", max);
            }
            Self::TooManyChannels { max } => {
                put(&mut map, "max", max);
            }
            Self::GroupTooLarge { max } => {
                put(&mut map, "max", max);
            }
            Self::InSlowmode { retry_after } => {
                put(&mut map, "retry_after", retry_after);
            }
            Self::TooManyServers { max } => {
                put(&mut map, "max", max);
            }
            Self::TooManyEmoji { max } => {
                put(&mut map, "max", max);
            }
            Self::TooManyRoles { max } => {
                put(&mut map, "max", max);
            }
            Self::MissingPermission { permission } => {
                put(&mut map, "permission", permission);
            }
            Self::MissingUserPermission { permission } => {
                put(&mut map, "permission", permission);
            }
            Self::DatabaseError {
                operation,
                collection,
            } => {
                put(&mut map, "operation", operation);
                put(&mut map, "collection", collection);
            }
            Self::FailedValidation { error } => {
                put(&mut map, "error", error);
            }
            Self::IncorrectData { r#with } => {
                put(&mut map, "with", r#with);
            }
            Self::FileTooLarge { max } => {
                put(&mut map, "max", max);
            }
            Self::FeatureDisabled { feature } => {
                put(&mut map, "feature", feature);
            }
            Self::Blacklisted => {
                put(&mut map, "note", &"If you see this messages right here, you're probably doing something you shouldn't be.".to_owned());
            }
            Self::Unknown { body, .. } => {
                if let serde_json::Value::Object(extra) = body {
                    for (k, v) in extra {
                        map.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
            _ => {}
        }
        map
    }
}

fn field<T: serde::de::DeserializeOwned>(
    body: &mut serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Result<T, String> {
    let value = body.remove(name).unwrap_or(serde_json::Value::Null);
    serde_json::from_value(value).map_err(|e| format!("field {name:?} of an error body: {e}"))
}

fn put<T: Serialize>(map: &mut serde_json::Map<String, serde_json::Value>, name: &str, value: &T) {
    if let Ok(v) = serde_json::to_value(value) {
        map.insert(name.to_owned(), v);
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.type_name())?;
        match self {
            Self::MissingPermission { permission } | Self::MissingUserPermission { permission } => {
                write!(f, " ({permission})")
            }
            Self::FailedValidation { error } => write!(f, " ({error})"),
            Self::InSlowmode { retry_after } => write!(f, " (retry after {retry_after} s)"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

/// An error body: the error and, when present, the server source `location` it came from
/// (debugging only; server 0.16 omits it for some types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorBody {
    /// The error.
    pub error: ApiError,
    /// `"file:line:column"` in the server's source.
    pub location: Option<String>,
}

impl Serialize for ErrorBody {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = self.error.to_object();
        if let Some(location) = &self.location {
            map.insert(
                "location".to_owned(),
                serde_json::Value::String(location.clone()),
            );
        }
        map.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ErrorBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut object = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        let location = match object.get("location") {
            Some(serde_json::Value::String(l)) => Some(l.clone()),
            _ => None,
        };
        let error = ApiError::from_object(std::mem::take(&mut object)).map_err(D::Error::custom)?;
        Ok(Self { error, location })
    }
}

impl Serialize for ApiError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_object().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ApiError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ErrorBody::deserialize(deserializer).map(|b| b.error)
    }
}

/// The body the web framework writes when a request guard fails (bad or missing token,
/// bad JSON, oversized header, reused idempotency key, unknown route):
/// `{"error": {"code", "reason", "description"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkErrorBody {
    /// The error.
    pub error: FrameworkError,
}

/// See [`FrameworkErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkError {
    /// HTTP status.
    pub code: u16,
    /// Status reason phrase.
    pub reason: String,
    /// Explanation.
    pub description: String,
}

/// The body of a rate-limited (429) answer: `{"retry_after": ms}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimitedBody {
    /// Milliseconds until the bucket resets.
    pub retry_after: u64,
}
