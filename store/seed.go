package store

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"lingong/domain"
)

// stationSeeds are Zhongwei's 5 零工市场 and 20 零工驿站. Codes: district prefix (SPT 沙坡头区, ZN 中宁县,
// HY 海原县), M for a market, S for a station. Coordinates are the towns' seats, nudged to the address.
var stationSeeds = []domain.Station{
	{Code: "SPT-M1", Kind: domain.KindMarket, Name: "沙坡头区零工市场", District: "沙坡头区", Town: "滨河镇", Address: "中卫市沙坡头区鼓楼东街人力资源市场一楼", Lat: 37.5149, Lng: 105.1967, Phone: "0955-7012345"},
	{Code: "SPT-M2", Kind: domain.KindMarket, Name: "中卫工业园区零工市场", District: "沙坡头区", Town: "柔远镇", Address: "中卫工业园区综合服务中心", Lat: 37.4712, Lng: 105.1185, Phone: "0955-7023456"},
	{Code: "ZN-M1", Kind: domain.KindMarket, Name: "中宁县零工市场", District: "中宁县", Town: "宁安镇", Address: "中宁县宁安镇枸杞大道就业服务中心", Lat: 37.4915, Lng: 105.6857, Phone: "0955-5012345"},
	{Code: "ZN-M2", Kind: domain.KindMarket, Name: "中宁枸杞产业零工市场", District: "中宁县", Town: "舟塔乡", Address: "中宁县舟塔乡枸杞交易市场南门", Lat: 37.5203, Lng: 105.6301, Phone: "0955-5023456"},
	{Code: "HY-M1", Kind: domain.KindMarket, Name: "海原县零工市场", District: "海原县", Town: "海城镇", Address: "海原县海城镇新区就业创业服务中心", Lat: 36.5662, Lng: 105.6448, Phone: "0955-4012345"},
	{Code: "SPT-S01", Kind: domain.KindStation, Name: "文昌镇零工驿站", District: "沙坡头区", Town: "文昌镇", Address: "文昌镇便民服务中心", Lat: 37.5003, Lng: 105.1752, Phone: "0955-7031001"},
	{Code: "SPT-S02", Kind: domain.KindStation, Name: "东园镇零工驿站", District: "沙坡头区", Town: "东园镇", Address: "东园镇政府西侧", Lat: 37.5451, Lng: 105.2448, Phone: "0955-7031002"},
	{Code: "SPT-S03", Kind: domain.KindStation, Name: "镇罗镇零工驿站", District: "沙坡头区", Town: "镇罗镇", Address: "镇罗镇镇罗村党群服务中心", Lat: 37.5562, Lng: 105.0683, Phone: "0955-7031003"},
	{Code: "SPT-S04", Kind: domain.KindStation, Name: "宣和镇零工驿站", District: "沙坡头区", Town: "宣和镇", Address: "宣和镇便民服务中心", Lat: 37.4301, Lng: 105.3251, Phone: "0955-7031004"},
	{Code: "SPT-S05", Kind: domain.KindStation, Name: "永康镇零工驿站", District: "沙坡头区", Town: "永康镇", Address: "永康镇硒砂瓜交易市场", Lat: 37.4302, Lng: 105.2452, Phone: "0955-7031005"},
	{Code: "SPT-S06", Kind: domain.KindStation, Name: "常乐镇零工驿站", District: "沙坡头区", Town: "常乐镇", Address: "常乐镇便民服务中心", Lat: 37.4001, Lng: 105.0102, Phone: "0955-7031006"},
	{Code: "SPT-S07", Kind: domain.KindStation, Name: "兴仁镇零工驿站", District: "沙坡头区", Town: "兴仁镇", Address: "兴仁镇硒砂瓜产业园", Lat: 36.9102, Lng: 105.2503, Phone: "0955-7031007"},
	{Code: "SPT-S08", Kind: domain.KindStation, Name: "迎水桥镇零工驿站", District: "沙坡头区", Town: "迎水桥镇", Address: "迎水桥镇沙坡头景区服务站", Lat: 37.4703, Lng: 104.9805, Phone: "0955-7031008"},
	{Code: "ZN-S01", Kind: domain.KindStation, Name: "石空镇零工驿站", District: "中宁县", Town: "石空镇", Address: "石空镇工业园区服务站", Lat: 37.5601, Lng: 105.5603, Phone: "0955-5031001"},
	{Code: "ZN-S02", Kind: domain.KindStation, Name: "鸣沙镇零工驿站", District: "中宁县", Town: "鸣沙镇", Address: "鸣沙镇便民服务中心", Lat: 37.4102, Lng: 105.8701, Phone: "0955-5031002"},
	{Code: "ZN-S03", Kind: domain.KindStation, Name: "新堡镇零工驿站", District: "中宁县", Town: "新堡镇", Address: "新堡镇枸杞种植基地服务点", Lat: 37.4551, Lng: 105.7402, Phone: "0955-5031003"},
	{Code: "ZN-S04", Kind: domain.KindStation, Name: "恩和镇零工驿站", District: "中宁县", Town: "恩和镇", Address: "恩和镇便民服务中心", Lat: 37.4203, Lng: 105.8004, Phone: "0955-5031004"},
	{Code: "ZN-S05", Kind: domain.KindStation, Name: "大战场镇零工驿站", District: "中宁县", Town: "大战场镇", Address: "大战场镇移民安置区服务站", Lat: 37.3902, Lng: 105.5601, Phone: "0955-5031005"},
	{Code: "ZN-S06", Kind: domain.KindStation, Name: "余丁乡零工驿站", District: "中宁县", Town: "余丁乡", Address: "余丁乡枸杞合作社院内", Lat: 37.5302, Lng: 105.7003, Phone: "0955-5031006"},
	{Code: "ZN-S07", Kind: domain.KindStation, Name: "白马乡零工驿站", District: "中宁县", Town: "白马乡", Address: "白马乡便民服务中心", Lat: 37.3701, Lng: 105.9602, Phone: "0955-5031007"},
	{Code: "HY-S01", Kind: domain.KindStation, Name: "三河镇零工驿站", District: "海原县", Town: "三河镇", Address: "三河镇便民服务中心", Lat: 36.7602, Lng: 105.7601, Phone: "0955-4031001"},
	{Code: "HY-S02", Kind: domain.KindStation, Name: "李旺镇零工驿站", District: "海原县", Town: "李旺镇", Address: "李旺镇牛羊交易市场旁", Lat: 36.8003, Lng: 106.0002, Phone: "0955-4031002"},
	{Code: "HY-S03", Kind: domain.KindStation, Name: "西安镇零工驿站", District: "海原县", Town: "西安镇", Address: "西安镇便民服务中心", Lat: 36.5401, Lng: 105.4502, Phone: "0955-4031003"},
	{Code: "HY-S04", Kind: domain.KindStation, Name: "七营镇零工驿站", District: "海原县", Town: "七营镇", Address: "七营镇移民新村服务站", Lat: 36.5102, Lng: 106.1003, Phone: "0955-4031004"},
	{Code: "HY-S05", Kind: domain.KindStation, Name: "关桥乡零工驿站", District: "海原县", Town: "关桥乡", Address: "关桥乡便民服务中心", Lat: 36.7801, Lng: 105.5802, Phone: "0955-4031005"},
}

// StationSeeds returns a copy of the seeded stations (tests and the demo generator use them).
func StationSeeds() []domain.Station { return append([]domain.Station(nil), stationSeeds...) }

// SeedOptions configure Seed.
type SeedOptions struct {
	// AdminPassword is the initial password of the "admin" account; empty generates a random one.
	AdminPassword string
}

// SeedResult says what Seed did.
type SeedResult struct {
	StationsCreated int
	SkillsCreated   int
	AdminCreated    bool
	// GeneratedAdminPassword is set when Seed created the admin with a random password; it is shown
	// once, in the start-up log, and never stored in clear.
	GeneratedAdminPassword string
}

// Seed fills an empty database with Zhongwei's stations, the skill taxonomy and the admin account (the
// demo market is package demo's, lived through the use cases). It only inserts what is missing, in one transaction, so running it on every
// start changes nothing the second time.
func (s *Store) Seed(ctx context.Context, opts SeedOptions) (SeedResult, error) {
	var res SeedResult
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var nStations int64
		if err := tx.Model(&stationRow{}).Count(&nStations).Error; err != nil {
			return err
		}
		if nStations == 0 {
			for _, st := range stationSeeds {
				row := stationRow{CityCode: domain.CityCode, Code: st.Code, Kind: string(st.Kind), Name: st.Name,
					District: st.District, Town: st.Town, Address: st.Address, Lat: st.Lat, Lng: st.Lng,
					Phone: st.Phone, CreatedAt: now, UpdatedAt: now}
				if err := tx.Create(&row).Error; err != nil {
					return err
				}
				res.StationsCreated++
			}
		}
		for i, c := range domain.Certificates {
			syn, _ := json.Marshal(nonNil(c.Synonyms))
			r := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&certificateRow{Name: c.Name, Synonyms: string(syn), SortOrder: i})
			if r.Error != nil {
				return r.Error
			}
		}
		var existing []string
		if err := tx.Model(&skillRow{}).Pluck("name", &existing).Error; err != nil {
			return err
		}
		known := map[string]bool{}
		for _, n := range existing {
			known[n] = true
		}
		for i, sk := range domain.Skills {
			syn, _ := json.Marshal(nonNil(sk.Synonyms))
			certs, _ := json.Marshal(nonNil(sk.Certs))
			// A release may move a trade to another category or give it new words: the taxonomy in the
			// binary is the truth, so existing rows are brought up to date.
			r := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "name"}},
				DoUpdates: clause.AssignmentColumns([]string{"category", "synonyms", "certs", "sort_order"})}).
				Create(&skillRow{Name: sk.Name, Category: sk.Category, Synonyms: string(syn), Certs: string(certs), SortOrder: i})
			if r.Error != nil {
				return r.Error
			}
			if !known[sk.Name] {
				res.SkillsCreated++
			}
		}
		var nAdmins int64
		if err := tx.Model(&staffRow{}).Where("role = ?", "admin").Count(&nAdmins).Error; err != nil {
			return err
		}
		if nAdmins == 0 {
			password := opts.AdminPassword
			if password == "" {
				password = randomPassword()
				res.GeneratedAdminPassword = password
			}
			hash, err := HashPassword(password)
			if err != nil {
				return err
			}
			if err := tx.Create(&staffRow{CityCode: domain.CityCode, Username: "admin", DisplayName: "系统管理员",
				PasswordHash: hash, Role: "admin", CreatedAt: now, UpdatedAt: now}).Error; err != nil {
				return err
			}
			res.AdminCreated = true
		}
		return nil
	})
	if err != nil {
		return SeedResult{}, translate(fmt.Errorf("seed: %w", err), "数据")
	}
	return res, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// randomPassword makes a 16-character password without look-alike characters (it is read off a log).
func randomPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}
